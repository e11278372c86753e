/**
 * A deployment run whose process crashed is retried as its flow retries a failure, when the flow's
 * retries still cover it: the engine records what they cover as each attempt starts
 * (`FlowRunRecord.retryBudget`), since the server that finds the process gone cannot load the flow
 * to ask. The run goes `Scheduled` again, due after the flow's retry delay, and a worker of its pool
 * claims it; what ran under it ends `Crashed`. A run with no retries left, a run being cancelled,
 * and a run that is not a deployment's (nothing would start it again), end `Crashed`.
 */
import type { FlowRunRecord } from "./records.js";
import type { AbandonedRunEnding } from "./store.js";

/** How `run`, whose process is gone for `message`, ends: `Crashed`, or `Scheduled` again for a retry. */
export function crashEnding(run: FlowRunRecord, message: string, at: Date): AbandonedRunEnding {
  const budget = run.deploymentId === undefined ? undefined : run.retryBudget;
  // A run someone asked to cancel is not started again because its process died first.
  if (budget === undefined || budget.left < 1 || run.state.type === "CANCELLING") return { state: "Crashed", message };
  const more = budget.left - 1;
  const when = budget.delayMs > 0 ? ` in ${budget.delayMs / 1000} s` : "";
  return {
    state: "Crashed",
    message,
    retry: {
      message: `Crashed; retried${when} (${more} more ${more === 1 ? "retry" : "retries"} after this one): ${message}`,
      startAt: new Date(at.getTime() + budget.delayMs),
      budget: { left: more, delayMs: 0, carried: true },
      seenStateAt: run.state.timestamp,
    },
  };
}
