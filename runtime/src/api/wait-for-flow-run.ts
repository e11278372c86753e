/** `waitForFlowRun(id, { timeoutSeconds })`: resolves with the run once it is final. */
import { OptionChecker } from "../engine/option-checks.js";
import { currentContext } from "../engine/run-context.js";
import { getRuntime } from "../engine/runtime-config.js";
import { isFinal } from "../states.js";
import { resolveApiConfig } from "./api-config.js";
import { WaitTimeoutError } from "./client-errors.js";
import { finalRunOfEvent, getFlowRun } from "./flow-runs-api.js";
import type { FlowRun } from "./run-deployment.js";
import { DEFAULT_WAIT_TIMEOUT_SECONDS, describeWaitTimeout, waitForEvent } from "./wait-for-event.js";

export interface WaitForFlowRunOptions {
  /**
   * Seconds to wait; then a WaitTimeoutError (naming the run, its state and the limit) is thrown.
   * @default 10800 (3 hours, as Prefect's `wait_for_flow_run`)
   * @example waitForFlowRun(run.id, { timeoutSeconds: 600 })
   */
  timeoutSeconds?: number;
}

/**
 * Waits until the flow run is final (Completed, Failed, Cancelled, Crashed) and returns it; woken
 * by the server's event stream. Does not throw for a failed run: read `run.state`. Gives up with a
 * WaitTimeoutError after `timeoutSeconds` (3 hours unless told).
 *
 * @example
 * const started = await runDeployment("etl/nightly", { timeoutSeconds: 0 });
 * // … other work …
 * const run = await waitForFlowRun(started.id, { timeoutSeconds: 3600 });
 */
export async function waitForFlowRun(id: string, options: WaitForFlowRunOptions = {}): Promise<FlowRun> {
  if (typeof id !== "string" || id === "") new OptionChecker("waitForFlowRun", { id }).fail("id", "a flow run id");
  const check = new OptionChecker(`waitForFlowRun("${id}")`, options as Record<string, unknown>);
  check.onlyKnown(["timeoutSeconds"]);
  check.nonNegativeNumber("timeoutSeconds");
  const config = resolveApiConfig("waitForFlowRun");
  const signal = currentContext()?.signal;
  const outcome = await waitForEvent<FlowRun>({
    config,
    clock: getRuntime().clock,
    timeoutMs: (options.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS) * 1000,
    ...(signal ? { signal } : {}),
    check: async () => {
      const run = await getFlowRun(config, id);
      return isFinal(run.state) ? run : undefined;
    },
    match: (event) => finalRunOfEvent(event, id),
  });
  if ("value" in outcome) return outcome.value;
  const run = await getFlowRun(config, id);
  throw new WaitTimeoutError(
    `waitForFlowRun: flow run ${run.name} (${id}) of "${run.flowName}" was still ${run.state.name} after ${describeWaitTimeout(options.timeoutSeconds)}.`,
  );
}
