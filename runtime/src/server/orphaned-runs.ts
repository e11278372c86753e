/**
 * Runs whose process is gone can never finish: a run left Pending, Running or Cancelling by a
 * killed server's child or a killed `tributary run`. The server ends them Crashed when it starts
 * and every few seconds while it runs. A run counts as orphaned when the pid that executes it is
 * no longer alive; a run this server's worker executes is watched by the worker instead.
 */
import type { Clock } from "../engine/clock.js";
import { isFinal } from "../states.js";
import type { Store } from "../store/store.js";
import type { EventHub } from "./event-hub.js";

export async function crashOrphanedRuns(store: Store, hub: EventHub, clock: Clock, executedHere: (id: string) => boolean): Promise<void> {
  for (const run of await store.listActiveFlowRuns()) {
    if (isFinal(run.state) || executedHere(run.id)) continue;
    // A subflow ends with its parent (markRunCrashed takes the whole tree).
    if (run.parentFlowRunId !== undefined && run.deploymentId === undefined) continue;
    const started = run.state.type !== "SCHEDULED" || run.state.name === "AwaitingRetry";
    if (!started || run.pid === undefined || isAlive(run.pid)) continue;
    await store.markRunCrashed(run.id, "The process executing this run is gone.", clock.now());
    const crashed = await store.getFlowRun(run.id);
    if (crashed) hub.publishFlowRun(crashed);
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
