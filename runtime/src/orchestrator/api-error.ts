/** An error the API answers with its status and `{ error: { code, message } }` (contract.ts). */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiError(404, "NOT_FOUND", message);
export const badRequest = (message: string) => new ApiError(400, "BAD_REQUEST", message);
export const conflict = (message: string) => new ApiError(409, "CONFLICT", message);
export const unprocessable = (message: string) => new ApiError(422, "INVALID_PARAMETERS", message);
