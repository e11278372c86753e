/**
 * The state object a flow call resolves to with `withOptions({ returnState: true })`: the final
 * state of the run, with its id and its result or error. Branded so that a flow returning one can
 * be recognised (a failed state returned by a flow fails the flow).
 */
import type { State } from "../states.js";

const STATE_BRAND = Symbol.for("tributary.state");

/** The final state of a flow run, as `withOptions({ returnState: true })` gives it. */
export interface FlowRunState<R = unknown> extends State {
  flowRunId: string;
  /** The flow's return value, when it completed. */
  result?: R;
  /** Why it did not complete: a FlowRunError whose `cause` is what the flow threw. */
  error?: Error;
}

export function makeFlowRunState<R>(state: State, flowRunId: string, result: { value?: R; error?: Error }): FlowRunState<R> {
  const runState: FlowRunState<R> = { ...state, flowRunId };
  if ("value" in result) runState.result = result.value;
  if (result.error !== undefined) runState.error = result.error;
  Object.defineProperty(runState, STATE_BRAND, { value: true, enumerable: false });
  return runState;
}

export function isFlowRunState(value: unknown): value is FlowRunState {
  return typeof value === "object" && value !== null && (value as { [STATE_BRAND]?: unknown })[STATE_BRAND] === true;
}
