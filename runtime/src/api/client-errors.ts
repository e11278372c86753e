/**
 * Errors of the client API (runDeployment, waits, readFlowRuns, emitEvent). Recognise them by
 * `name` or `code` (see errors.ts), not instanceof.
 */
import { TributaryError } from "../errors.js";

/** No server is configured for this process (TRIBUTARY_API_URL is not set). */
export class NoServerError extends TributaryError {
  override name = "NoServerError";
  constructor(message: string) {
    super(message, "NO_SERVER");
  }
}

/** The server could not be reached (refused, reset, or the event stream could not be opened). */
export class ServerUnreachableError extends TributaryError {
  override name = "ServerUnreachableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "SERVER_UNREACHABLE", options);
  }
}

/** The server answered with an error; `status` is the HTTP status, `code` the server's code. */
export class ApiError extends TributaryError {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    code = "API_ERROR",
  ) {
    super(message, code);
  }
}

/** 404: the deployment, flow run or automation named does not exist. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
  constructor(message: string) {
    super(message, 404, "NOT_FOUND");
  }
}

/** 422: parameters the deployment's flow does not accept; the message names the parameter. */
export class InvalidParametersError extends ApiError {
  override name = "InvalidParametersError";
  constructor(message: string) {
    super(message, 422, "INVALID_PARAMETERS");
  }
}

/**
 * 409 LOOP_GUARD: the server's runtime loop guard refused a run, because the causal chain of the
 * caller already visited the deployment as many times as allowed (a flow that runs its own
 * deployment, directly or through others). Not a failure of a child run: no run was made.
 */
export class LoopGuardError extends ApiError {
  override name = "LoopGuardError";
  constructor(message: string) {
    super(message, 409, "LOOP_GUARD");
  }
}

/** 401/403: the server wants TRIBUTARY_API_TOKEN, or a different one. */
export class UnauthorizedError extends ApiError {
  override name = "UnauthorizedError";
  constructor(message: string, status: number) {
    super(message, status, "UNAUTHORIZED");
  }
}

/** A wait (waitForFlowRun, waitForFlow) ran out of `timeoutSeconds`. */
export class WaitTimeoutError extends TributaryError {
  override name = "WaitTimeoutError";
  constructor(message: string) {
    super(message, "WAIT_TIMED_OUT");
  }
}
