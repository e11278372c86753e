/**
 * Runs whose process is gone can never finish: a run left Pending, Running or Cancelling by a
 * killed server's child or a killed `tributary run`. The server ends them Crashed when it starts
 * and every few seconds while it runs (crash-sweep.ts). A run is orphaned when
 *
 * - the process that executes it is gone: its pid is dead, or now another process's (the fast
 *   path, for a run of this machine; store/run-process.ts), or
 * - it is a deployment run whose heartbeat is older than the timeout: the worker that watches a
 *   run records a heartbeat every few seconds, so a stale one means no worker watches it any more
 *   (its server was killed; its process may be frozen, or its pid reused by another process).
 *
 * A run this server's worker executes is watched by the worker instead. A deployment run whose
 * flow has retries left is retried rather than ended (store/crash-retry.ts).
 */
import type { Clock } from "../engine/clock.js";
import { isJudgedByItsProcess, processGoneMessage } from "../store/crash-runs-without-process.js";
import { crashEnding } from "../store/crash-retry.js";
import type { FlowRunRecord } from "../store/records.js";
import { isRunProcessGone } from "../store/run-process.js";
import type { Store } from "../store/store.js";
import { newRunId } from "../store/run-ids.js";
import { flowRunEvent, type EventHub } from "./event-hub.js";

export interface OrphanCheck {
  /** Runs this server's worker executes (it watches them itself). */
  executedHere: (id: string) => boolean;
  /** A deployment run whose heartbeat is older than this has crashed. */
  heartbeatTimeoutMs: number;
}

export async function crashOrphanedRuns(store: Store, hub: EventHub, clock: Clock, check: OrphanCheck): Promise<void> {
  const now = clock.now();
  for (const run of await store.listActiveFlowRuns()) {
    if (!isJudgedByItsProcess(run) || check.executedHere(run.id)) continue;
    const reason = whyOrphaned(run, now, check.heartbeatTimeoutMs);
    if (reason === undefined) continue;
    await store.endAbandonedRun(run.id, crashEnding(run, reason, now), now);
    const ended = await store.getFlowRun(run.id);
    if (ended) hub.publishFlowRun(ended);
  }
}

function whyOrphaned(run: FlowRunRecord, now: Date, heartbeatTimeoutMs: number): string | undefined {
  if (isRunProcessGone(run)) return processGoneMessage(run);
  if (run.deploymentId === undefined) return undefined;
  // A worker records a heartbeat as it starts a run; before the first one, the state's time stands in.
  const last = Date.parse(run.heartbeat ?? run.state.timestamp);
  const silentMs = now.getTime() - last;
  if (silentMs <= heartbeatTimeoutMs) return undefined;
  return `No heartbeat for ${Math.round(silentMs / 1000)} s (the limit is ${heartbeatTimeoutMs / 1000} s): no worker watches this run any more — its server went away.`;
}

/**
 * For a runner whose worker went away (killed): ends its run Crashed (or Scheduled again, for a
 * retry) and stores the run's event itself, since no server's hub will publish it — the servers of a
 * PostgreSQL database relay it to their streams, waits and automations. Nothing when the run was
 * final already.
 */
export async function crashRunOfLostWorker(store: Store, flowRunId: string, at: Date): Promise<void> {
  const before = await store.getFlowRun(flowRunId);
  if (before === undefined) return;
  await store.endAbandonedRun(flowRunId, crashEnding(before, "The server or worker executing this run went away.", at), at);
  const run = await store.getFlowRun(flowRunId);
  if (run === undefined || (run.state.type !== "CRASHED" && run.state.type !== "SCHEDULED") || run.state.timestamp !== at.toISOString()) return;
  const deploymentName = run.deploymentId === undefined ? undefined : (await store.getDeploymentById(run.deploymentId))?.name;
  store.appendEvent({ ...flowRunEvent(run, deploymentName), id: newRunId(at.getTime()), occurred: at.toISOString() });
  await store.flush();
}
