/**
 * The state model, after Prefect's: a small set of state types and the named states that refine them.
 * Every transition of a flow run or task run is recorded with its timestamp.
 */

export const STATE_TYPES = [
  "SCHEDULED",
  "PENDING",
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "CRASHED",
  "PAUSED",
  "CANCELLING",
] as const;
export type StateType = (typeof STATE_TYPES)[number];

/**
 * Named states and the type each one refines. `NotReady` is Pending for a downstream whose upstream
 * failed; `AwaitingConcurrencySlot` is a run (or task run) that is due but waits for a slot of a
 * concurrency limit; `Paused` is a flow run waiting in `pauseFlowRun` to be resumed.
 */
export const STATE_NAMES = {
  Scheduled: "SCHEDULED",
  Late: "SCHEDULED",
  AwaitingRetry: "SCHEDULED",
  AwaitingConcurrencySlot: "SCHEDULED",
  Pending: "PENDING",
  NotReady: "PENDING",
  Running: "RUNNING",
  Retrying: "RUNNING",
  Completed: "COMPLETED",
  Cached: "COMPLETED",
  Failed: "FAILED",
  TimedOut: "FAILED",
  Crashed: "CRASHED",
  Cancelling: "CANCELLING",
  Cancelled: "CANCELLED",
  Paused: "PAUSED",
} as const satisfies Record<string, StateType>;
export type StateName = keyof typeof STATE_NAMES;

export const FINAL_STATE_TYPES: ReadonlySet<StateType> = new Set(["COMPLETED", "FAILED", "CANCELLED", "CRASHED"]);

/** A state as it is stored and shown: type, name, an optional message and when it was entered. */
export interface State {
  type: StateType;
  name: StateName;
  message?: string;
  /** ISO 8601 with milliseconds. */
  timestamp: string;
}

export function isStateName(value: unknown): value is StateName {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(STATE_NAMES, value);
}

export function isFinal(state: Pick<State, "type">): boolean {
  return FINAL_STATE_TYPES.has(state.type);
}

export function makeState(name: StateName, timestamp: Date, message?: string): State {
  const state: State = { type: STATE_NAMES[name], name, timestamp: timestamp.toISOString() };
  if (message !== undefined) state.message = message;
  return state;
}
