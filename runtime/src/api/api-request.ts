/**
 * One JSON request to the server (global fetch), with the token when there is one. Error answers
 * (`{ error: { code, message } }`) become ApiError subclasses carrying the server's message.
 */
import { authorizationHeaders, type ApiConfig } from "./api-config.js";
import { ApiError, InvalidParametersError, LoopGuardError, NotFoundError, ServerUnreachableError, UnauthorizedError } from "./client-errors.js";

export type QueryValue = string | number | undefined | readonly string[];

export interface RequestOptions {
  body?: unknown;
  /** Lists become repeated parameters (`a=1&a=2`); undefined values are left out. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

export function buildUrl(config: ApiConfig, path: string, query: Record<string, QueryValue> = {}): string {
  const url = new URL(path, `${config.url}/`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) url.searchParams.append(key, item);
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

export async function apiRequest<T>(config: ApiConfig, method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...authorizationHeaders(config) };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(config, path, options.query), { method, headers, body, signal: options.signal ?? null });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const reason = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ServerUnreachableError(
      `Could not reach the Tributary server at ${config.url} (${reason?.code ?? reason?.message ?? String(error)}): is \`tributary server start\` running there?`,
      { cause: error },
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const message = typeof error?.message === "string" ? error.message : `${method} ${path} answered ${response.status} ${response.statusText}`.trim();
  switch (response.status) {
    case 401:
    case 403:
      throw new UnauthorizedError(`The Tributary server at ${config.url} refused the request: ${message} (set TRIBUTARY_API_TOKEN to the server's token).`, response.status);
    case 404:
      throw new NotFoundError(message);
    case 422:
      throw new InvalidParametersError(message);
    case 409:
      if (error?.code === "LOOP_GUARD") throw new LoopGuardError(message);
      throw new ApiError(message, response.status, typeof error?.code === "string" ? error.code : "API_ERROR");
    default:
      throw new ApiError(message, response.status, typeof error?.code === "string" ? error.code : "API_ERROR");
  }
}
