/**
 * Ends Crashed the runs whose process is gone, with or without a server: a `tributary run` killed
 * together with its child (SIGKILL of the process group, a closed terminal, a reboot) leaves its run
 * Running, and nothing else would ever end it when no server is running. Every CLI command that
 * opens the store calls this first; the server does the same on its sweeps (orphaned-runs.ts). A
 * deployment run its flow's retries cover goes Scheduled again instead (crash-retry.ts).
 */
import { isFinal } from "../states.js";
import type { FlowRunRecord } from "./records.js";
import { crashEnding } from "./crash-retry.js";
import { isRunProcessGone } from "./run-process.js";
import type { Store } from "./store.js";

/** Whether `run` has started and is judged on its own (a subflow in its parent's process ends with its parent). */
export function isJudgedByItsProcess(run: FlowRunRecord): boolean {
  if (isFinal(run.state)) return false;
  // markRunCrashed takes the whole tree, so a subflow run in its parent's process goes with it.
  if (run.parentFlowRunId !== undefined && run.deploymentId === undefined) return false;
  return run.state.type !== "SCHEDULED" || run.state.name === "AwaitingRetry";
}

/** The state message of a run whose process is gone. */
export function processGoneMessage(run: FlowRunRecord): string {
  const where = run.host === undefined ? "" : ` on ${run.host}`;
  return `The process executing this run is gone (pid ${run.pid}${where}): it was killed, or its machine restarted, before the run finished.`;
}

/** Marks Crashed (with everything unfinished under it) each started run whose process is gone, or reschedules it for a retry; returns them as they are now. */
export async function crashRunsWithoutProcess(store: Store, now: Date): Promise<FlowRunRecord[]> {
  const crashed: FlowRunRecord[] = [];
  for (const run of await store.listActiveFlowRuns()) {
    if (!isJudgedByItsProcess(run) || !isRunProcessGone(run)) continue;
    await store.endAbandonedRun(run.id, crashEnding(run, processGoneMessage(run), now), now);
    const after = await store.getFlowRun(run.id);
    if (after) crashed.push(after);
  }
  return crashed;
}
