/**
 * Pausing a flow run until someone resumes it (Prefect's `pause_flow_run`). The run goes `Paused`
 * and the flow's code waits in `pauseFlowRun`; `tributary flow-run resume` (or the server's
 * POST /api/flow-runs/{id}/resume, or Resume in the Flow Runs view) moves the stored run from
 * Paused to Running, from any process that shares the store. The paused flow reads its run
 * from the store every second, as Prefect's client polls its API, and carries on when it sees
 * it Running. When the pause's timeout passes first, the engine takes the run back from Paused in
 * the same kind of guarded write (so a resume and a timeout cannot both win) and throws
 * PauseTimeoutError, which fails the run unless the flow catches it.
 *
 * Cancelling the run, or the flow's own timeout (which keeps counting while the run is paused, as
 * in Prefect), ends the wait too.
 */
import { PauseTimeoutError, TributaryError } from "../errors.js";
import { shellCommand } from "../shell-quote.js";
import { makeState } from "../states.js";
import { uniqueIdPrefix } from "../store/unique-id-prefix.js";
import { OptionChecker } from "./option-checks.js";
import { currentContext } from "./run-context.js";

/** How often a paused run reads its state from the store. */
const RESUME_POLL_MS = 1000;
const DEFAULT_TIMEOUT_SECONDS = 3600;

export interface PauseFlowRunOptions {
  /**
   * How long to wait for a resume; then the run fails (PauseTimeoutError).
   * @default 3600
   * @example await pauseFlowRun({ timeoutSeconds: 600 })
   */
  timeoutSeconds?: number;
  /**
   * Names this pause: a pause whose key already paused this run does not pause it again (a flow
   * that is retried after being resumed passes through). Without a key, each pause is keyed by its
   * position among the attempt's pauses, so a retry does not repeat the pauses it already passed.
   * @default the pause's number within the attempt ("1", "2", …)
   * @example await pauseFlowRun({ key: "approve-load" })
   */
  key?: string;
}

/**
 * Pauses the flow run that calls it until it is resumed (`tributary flow-run resume <id>`, the
 * Resume action in the Flow Runs view, or POST /api/flow-runs/{id}/resume): the run is `Paused`,
 * then `Running` again and the call returns. Not resumed within `timeoutSeconds`, the call throws
 * PauseTimeoutError and the run fails. Only a flow's own code can pause its run: inside a task or
 * outside any run it throws.
 *
 * @example
 * export const load = flow("load", async () => {
 *   const rows = await extract();
 *   await pauseFlowRun({ timeoutSeconds: 600, key: "approve-load" }); // someone checks the rows first
 *   await write(rows);
 * });
 */
export async function pauseFlowRun(options: PauseFlowRunOptions = {}): Promise<void> {
  const check = new OptionChecker("pauseFlowRun", options as Record<string, unknown>);
  check.onlyKnown(["timeoutSeconds", "key"]);
  check.positiveNumber("timeoutSeconds");
  if (options.key !== undefined && (typeof options.key !== "string" || options.key === "")) check.fail("key", "a non-empty string");
  const context = currentContext();
  if (context === undefined) {
    throw new TributaryError("pauseFlowRun() was called outside a flow run: call it in a flow's own code.", "NO_RUN_CONTEXT");
  }
  if (context.taskRun !== undefined) {
    throw new TributaryError(
      `pauseFlowRun() was called inside task run ${context.taskRun.name}: only a flow's own code can pause its run; call it in the flow, between tasks.`,
      "PAUSE_IN_TASK",
    );
  }
  const { scope, signal } = context;
  const { store, clock, record } = scope;
  scope.pauseCalls += 1;
  const key = options.key ?? String(scope.pauseCalls);
  if (scope.firedPauseKeys.has(key)) {
    context.logger.info(`Not pausing again: the pause "${key}" already paused this run.`);
    return;
  }
  scope.firedPauseKeys.add(key);

  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const deadline = clock.now().getTime() + timeoutSeconds * 1000;
  const resume = shellCommand(["tributary", "flow-run", "resume", await uniqueIdPrefix(store, record.id)]);
  scope.transition(
    "Paused",
    `Paused until ${new Date(deadline).toISOString()}; resume it with \`${resume}\`. Not resumed by then, the run fails.`,
    {},
  );
  // Committed now: a resume from another process must find the run Paused.
  await store.flush();

  for (;;) {
    const left = deadline - clock.now().getTime();
    if (left <= 0) break;
    await clock.sleep(Math.min(RESUME_POLL_MS, left), signal);
    if (await resumed()) return;
  }
  const message = `Flow run '${record.name}' was paused for ${timeoutSeconds} s and nobody resumed it; resume a paused run with \`tributary flow-run resume <id>\` within its pause's timeoutSeconds.`;
  if (await store.transitionFlowRunIf(record.id, "PAUSED", makeState("Running", clock.now(), `The pause timed out after ${timeoutSeconds} s.`))) {
    const stored = await store.getFlowRun(record.id);
    if (stored !== undefined) scope.adoptState(stored.state);
    throw new PauseTimeoutError(message);
  }
  // A resume won the race with the timeout.
  if (await resumed()) return;
  throw new PauseTimeoutError(message);

  /** Whether another process moved the run out of Paused; a resume is taken as the run's state. */
  async function resumed(): Promise<boolean> {
    const stored = await store.getFlowRun(record.id);
    // Cancelling: another server was asked to cancel the run; the cancel reaches this process next.
    if (stored === undefined || stored.state.type === "PAUSED" || stored.state.type === "CANCELLING") return false;
    if (stored.state.type !== "RUNNING") {
      throw new TributaryError(`Flow run '${record.name}' became ${stored.state.name} while it was paused.`, "PAUSE_ENDED");
    }
    scope.adoptState(stored.state);
    context!.logger.info("Resumed.");
    return true;
  }
}
