/**
 * Writes queued between two commits. A run created and changed within one batch is written once,
 * with its latest fields (a task's Pending → Running → Completed costs one INSERT, not three
 * statements); its state history keeps every transition in order.
 */
import type { CacheEntry, FlowRunRecord, LogRecord, RunPatch, TaskRunRecord } from "./records.js";

export interface HistoryEntryToWrite {
  runId: string;
  type: string;
  name: string;
  message: string | null;
  timestamp: string;
}

export class PendingWrites {
  readonly flowInserts = new Map<string, FlowRunRecord>();
  readonly taskInserts = new Map<string, TaskRunRecord>();
  readonly flowPatches = new Map<string, RunPatch>();
  readonly taskPatches = new Map<string, RunPatch>();
  readonly history: HistoryEntryToWrite[] = [];
  readonly logs: LogRecord[] = [];
  readonly cache: CacheEntry[] = [];
  /** Operations queued since the last commit, to bound a batch. */
  count = 0;

  createFlowRun(run: FlowRunRecord): void {
    this.flowInserts.set(run.id, { ...run, state: { ...run.state }, tags: [...run.tags] });
    this.recordState(run.id, run.state);
  }

  createTaskRun(run: TaskRunRecord): void {
    this.taskInserts.set(run.id, {
      ...run,
      state: { ...run.state },
      tags: [...run.tags],
      upstreamTaskRunIds: [...run.upstreamTaskRunIds],
    });
    this.recordState(run.id, run.state);
  }

  updateFlowRun(id: string, patch: RunPatch): void {
    const pending = this.flowInserts.get(id);
    if (pending) applyPatch(pending, patch);
    else this.flowPatches.set(id, { ...this.flowPatches.get(id), ...patch });
    if (patch.state) this.recordState(id, patch.state);
    else this.count++;
  }

  updateTaskRun(id: string, patch: RunPatch): void {
    const pending = this.taskInserts.get(id);
    if (pending) applyPatch(pending, patch);
    else this.taskPatches.set(id, { ...this.taskPatches.get(id), ...patch });
    if (patch.state) this.recordState(id, patch.state);
    else this.count++;
  }

  appendLog(log: LogRecord): void {
    this.logs.push(log);
    this.count++;
  }

  writeCache(entry: CacheEntry): void {
    this.cache.push(entry);
    this.count++;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  clear(): void {
    this.flowInserts.clear();
    this.taskInserts.clear();
    this.flowPatches.clear();
    this.taskPatches.clear();
    this.history.length = 0;
    this.logs.length = 0;
    this.cache.length = 0;
    this.count = 0;
  }

  private recordState(runId: string, state: FlowRunRecord["state"]): void {
    this.history.push({
      runId,
      type: state.type,
      name: state.name,
      message: state.message ?? null,
      timestamp: state.timestamp,
    });
    this.count++;
  }
}

function applyPatch(run: FlowRunRecord | TaskRunRecord, patch: RunPatch): void {
  if (patch.state !== undefined) run.state = { ...patch.state };
  if (patch.result !== undefined) run.result = patch.result;
  if (patch.startTime !== undefined) run.startTime = patch.startTime;
  if (patch.endTime !== undefined) run.endTime = patch.endTime;
  if (patch.pid !== undefined && "runCount" in run) run.pid = patch.pid;
  if (patch.runCount !== undefined && "runCount" in run) run.runCount = patch.runCount;
  if (patch.attempts !== undefined && "attempts" in run) run.attempts = patch.attempts;
}
