/**
 * `waitForFlow(flowName, { state, after, timeoutSeconds })`: the state-based dependency — resolves
 * with the first run of the flow that enters one of the states after a moment.
 */
import { OptionChecker } from "../engine/option-checks.js";
import { currentContext } from "../engine/run-context.js";
import { getRuntime } from "../engine/runtime-config.js";
import { isStateName, type StateName } from "../states.js";
import { resolveApiConfig } from "./api-config.js";
import { WaitTimeoutError } from "./client-errors.js";
import { listFlowRuns, runOfEvent } from "./flow-runs-api.js";
import type { FlowRun } from "./run-deployment.js";
import { DEFAULT_WAIT_TIMEOUT_SECONDS, describeWaitTimeout, waitForEvent } from "./wait-for-event.js";

export interface WaitForFlowOptions {
  /**
   * The state (or states) to wait for.
   * @default "Completed"
   * @example waitForFlow("upstream-flow", { state: ["Completed", "Cached"] })
   */
  state?: StateName | StateName[];
  /**
   * Only runs that entered the state at or after this moment count.
   * @default now, by the wall clock (runs that get there from now on)
   * @example waitForFlow("upstream-flow", { after: new Date(Date.now() - 3_600_000) })
   */
  after?: Date | string;
  /**
   * Seconds to wait; then a WaitTimeoutError (naming the flow, the states and the limit) is thrown.
   * @default 10800 (3 hours, as Prefect's `wait_for_flow_run`)
   * @example waitForFlow("upstream-flow", { timeoutSeconds: 600 })
   */
  timeoutSeconds?: number;
}

/**
 * Waits until a run of `flowName` enters one of the states (Completed by default) and returns that
 * run; woken by the server's event stream. Gives up with a WaitTimeoutError after `timeoutSeconds`
 * (3 hours unless told).
 *
 * @example
 * export const downstream = flow("downstream-flow", async ({ upstreamBatchId }: { upstreamBatchId?: string }) => {
 *   const batchId = upstreamBatchId ?? ((await waitForFlow("upstream-flow", { timeoutSeconds: 3600 })).result as { batchId: string }).batchId;
 *   return processBatch(batchId);
 * });
 */
export async function waitForFlow(flowName: string, options: WaitForFlowOptions = {}): Promise<FlowRun> {
  if (typeof flowName !== "string" || flowName === "") new OptionChecker("waitForFlow", { flowName }).fail("flowName", "a flow name");
  const check = new OptionChecker(`waitForFlow("${flowName}")`, options as Record<string, unknown>);
  check.onlyKnown(["state", "after", "timeoutSeconds"]);
  check.nonNegativeNumber("timeoutSeconds");
  const states = options.state === undefined ? ["Completed"] : Array.isArray(options.state) ? options.state : [options.state];
  if (states.length === 0 || !states.every(isStateName)) check.fail("state", "a state name (Completed, Failed, …) or a non-empty list of them");
  const after = options.after === undefined ? undefined : new Date(options.after);
  if (after !== undefined && Number.isNaN(after.getTime())) check.fail("after", "a Date or an ISO 8601 string");
  const config = resolveApiConfig("waitForFlow");
  const clock = getRuntime().clock;
  // Compared with the server's timestamps, so the default is the wall clock, not the runtime clock
  // (which only times the wait: a ManualClock in a test must not make old runs count).
  const since = (after ?? new Date()).toISOString();
  const counts = (run: FlowRun) => run.flowName === flowName && (states as string[]).includes(run.state.name) && run.state.timestamp >= since;
  const signal = currentContext()?.signal;

  const outcome = await waitForEvent<FlowRun>({
    config,
    clock,
    timeoutMs: (options.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS) * 1000,
    ...(signal ? { signal } : {}),
    check: async () => {
      const pages = await Promise.all(states.map((state) => listFlowRuns(config, { flowName, state, limit: 20, sort: "created-desc" })));
      return pages.flat().filter(counts).sort((a, b) => (a.state.timestamp < b.state.timestamp ? -1 : 1))[0];
    },
    match: (event) => {
      const run = runOfEvent(event);
      if (run === undefined || run.flowName !== flowName || !(states as string[]).includes(run.state.name)) return undefined;
      // Without `after`, any run that gets there while we listen counts, whatever the clocks say.
      return after === undefined || counts(run) ? run : undefined;
    },
  });
  if ("value" in outcome) return outcome.value;
  throw new WaitTimeoutError(`waitForFlow: no run of "${flowName}" entered ${states.join(" or ")} within ${describeWaitTimeout(options.timeoutSeconds)}.`);
}
