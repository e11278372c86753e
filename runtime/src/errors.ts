/**
 * Errors of the runtime. Recognise them by `name` (or `code`), not `instanceof`: the runtime is
 * bundled into the CLI, the extension and every flow run, and two copies break `instanceof`.
 */

export class TributaryError extends Error {
  override name = "TributaryError";
  /** A stable, machine-readable code (`"FLOW_RUN_FAILED"`, `"INVALID_OPTION"`, …). */
  readonly code: string;
  constructor(message: string, code = "TRIBUTARY_ERROR", options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A bad option or argument given to the API: says what was expected and what came. */
export class InvalidOptionError extends TributaryError {
  override name = "InvalidOptionError";
  constructor(message: string) {
    super(message, "INVALID_OPTION");
  }
}

/** Bad input to the CLI (a missing file, an unknown flow, parameters that are not JSON): exit code 2. */
export class UsageError extends TributaryError {
  override name = "UsageError";
  constructor(message: string) {
    super(message, "USAGE");
  }
}

/** Thrown to the caller of a flow whose run ended failed, crashed or cancelled. */
export class FlowRunError extends TributaryError {
  override name = "FlowRunError";
  constructor(
    message: string,
    readonly flowRunId: string,
    readonly stateName: string,
    options?: { cause?: unknown },
  ) {
    super(message, "FLOW_RUN_FAILED", options);
  }
}

/** Thrown to the caller of a task (or by `future.result()`) whose run did not complete. */
export class TaskRunError extends TributaryError {
  override name = "TaskRunError";
  constructor(
    message: string,
    readonly taskRunId: string,
    readonly stateName: string,
    options?: { cause?: unknown },
  ) {
    super(message, "TASK_RUN_FAILED", options);
  }
}

/** A run that exceeded its `timeoutSeconds`. */
export class RunTimeoutError extends TributaryError {
  override name = "RunTimeoutError";
  constructor(message: string) {
    super(message, "TIMED_OUT");
  }
}

/** `pauseFlowRun` waited its `timeoutSeconds` and nobody resumed the run; uncaught, it fails the run. */
export class PauseTimeoutError extends TributaryError {
  override name = "PauseTimeoutError";
  constructor(message: string) {
    super(message, "PAUSE_TIMED_OUT");
  }
}

/** The reason carried by the AbortSignal of a cancelled run. */
export class CancelledError extends TributaryError {
  override name = "CancelledError";
  constructor(message = "The run was cancelled.") {
    super(message, "CANCELLED");
  }
}

/**
 * The reason given to a run's signal when the process executing it must end it Crashed while the
 * process lives on: a shared runner (cli/shared-runner.ts) whose run threw outside its promise
 * chain or called `process.exit`. The top-level run ends `Crashed` with this message; what runs
 * under it is cancelled.
 */
export class RunCrashedError extends TributaryError {
  override name = "RunCrashedError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "CRASHED", options);
  }
}

/**
 * The reason given to a run's signal when the store refused the writes of the process executing it
 * (store/records.ts, RunFence): the run was ended by someone else (a cancel, another server's crash
 * sweep) or handed to a new execution. As a Prefect client told ABORT, the engine stops the run at
 * once and writes nothing more for it: no final state, no hooks.
 */
export class RunAbortedError extends TributaryError {
  override name = "RunAbortedError";
  constructor(message: string) {
    super(message, "RUN_ABORTED");
  }
}

/** Something other than an Error was thrown; wrap it so that every failure has a message and a stack. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (value !== null && typeof value === "object" && typeof (value as { message?: unknown }).message === "string") {
    const error = new Error((value as { message: string }).message);
    error.name = typeof (value as { name?: unknown }).name === "string" ? (value as { name: string }).name : "Error";
    return error;
  }
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return new Error(`Non-error thrown: ${text}`);
}

/** Recognise an error of this library by name, across bundled copies. */
export function isTributaryError(value: unknown, name?: string): value is TributaryError {
  if (value === null || typeof value !== "object") return false;
  const candidate = value as { name?: unknown; code?: unknown };
  if (typeof candidate.code !== "string" || typeof candidate.name !== "string") return false;
  return name === undefined || candidate.name === name;
}
