/**
 * Writes queued between two commits, kept as column-ordered rows ready to bind.
 *
 * A run created and changed within one batch is written once, with its latest fields (a task's
 * Pending → Running → Completed costs one row, not three statements); its state history keeps
 * every transition in order. Rows are plain arrays so that a batch is bound with multi-row
 * INSERTs and no per-row objects: this is the hot path of every task run (MEASURED.md).
 */
import type { CacheEntry, FlowRunRecord, LogRecord, RunFence, RunPatch, TaskRunRecord } from "./records.js";
import type { State } from "../states.js";
import type { TributaryEvent } from "../orchestrator/contract.js";

export const FLOW_RUN_COLUMNS = [
  "id", "name", "flow_name", "flow_version", "parent_flow_run_id", "parent_task_run_id", "deployment_id", "entrypoint",
  "state_type", "state_name", "state_message", "state_timestamp", "parameters", "result", "tags", "run_count",
  "created_at", "start_time", "end_time", "pid", "idempotency_key", "expected_start_time", "chain", "host", "process_start_time",
  "retry_budget", "worker_name",
] as const;

export const TASK_RUN_COLUMNS = [
  "id", "flow_run_id", "name", "task_name", "state_type", "state_name", "state_message", "state_timestamp",
  "attempts", "map_index", "tags", "upstream_task_run_ids", "cache_key", "result", "created_at", "start_time", "end_time",
] as const;

export const HISTORY_COLUMNS = ["run_id", "type", "name", "message", "timestamp"] as const;
export const LOG_COLUMNS = ["flow_run_id", "task_run_id", "level", "message", "timestamp"] as const;
export const EVENT_COLUMNS = ["id", "occurred", "event", "resource_id", "body"] as const;

export type Row = unknown[];

/** Where the fields a patch can change sit in each kind of row. */
interface PatchColumns {
  stateType: number;
  result: number;
  startTime: number;
  endTime: number;
  count: number;
  /** The pid, host, process start time and retry budget columns; -1 where the row has none (task runs). */
  pid: number;
  host: number;
  processStartTime: number;
  retryBudget: number;
}

const FLOW: PatchColumns = {
  stateType: FLOW_RUN_COLUMNS.indexOf("state_type"),
  result: FLOW_RUN_COLUMNS.indexOf("result"),
  startTime: FLOW_RUN_COLUMNS.indexOf("start_time"),
  endTime: FLOW_RUN_COLUMNS.indexOf("end_time"),
  count: FLOW_RUN_COLUMNS.indexOf("run_count"),
  pid: FLOW_RUN_COLUMNS.indexOf("pid"),
  host: FLOW_RUN_COLUMNS.indexOf("host"),
  processStartTime: FLOW_RUN_COLUMNS.indexOf("process_start_time"),
  retryBudget: FLOW_RUN_COLUMNS.indexOf("retry_budget"),
};

const TASK: PatchColumns = {
  stateType: TASK_RUN_COLUMNS.indexOf("state_type"),
  result: TASK_RUN_COLUMNS.indexOf("result"),
  startTime: TASK_RUN_COLUMNS.indexOf("start_time"),
  endTime: TASK_RUN_COLUMNS.indexOf("end_time"),
  count: TASK_RUN_COLUMNS.indexOf("attempts"),
  pid: -1,
  host: -1,
  processStartTime: -1,
  retryBudget: -1,
};

export class PendingWrites {
  readonly flowInserts = new Map<string, Row>();
  readonly taskInserts = new Map<string, Row>();
  readonly flowPatches = new Map<string, RunPatch>();
  readonly taskPatches = new Map<string, RunPatch>();
  /**
   * The fences of the patches above that came from a run's process (RunFence): such a patch applies
   * only while its flow run is still at that epoch and not final. A patch without one (the
   * server's own write) merged into the same run's lifts the fence: the server's writes always apply.
   */
  readonly flowFences = new Map<string, RunFence>();
  readonly taskFences = new Map<string, RunFence>();
  /** State history, five values a transition (HISTORY_COLUMNS). */
  readonly history: unknown[] = [];
  /** Log lines, five values a line (LOG_COLUMNS). */
  readonly logs: unknown[] = [];
  readonly cache: CacheEntry[] = [];
  /** Events, five values an event (EVENT_COLUMNS). */
  readonly events: unknown[] = [];
  /** Operations queued since the last commit, to bound a batch. */
  count = 0;

  createFlowRun(run: FlowRunRecord): void {
    this.flowInserts.set(run.id, [
      run.id, run.name, run.flowName, run.flowVersion ?? null, run.parentFlowRunId ?? null, run.parentTaskRunId ?? null,
      run.deploymentId ?? null, run.entrypoint ?? null, run.state.type, run.state.name, run.state.message ?? null,
      run.state.timestamp, JSON.stringify(run.parameters), json(run.result), JSON.stringify(run.tags), run.runCount,
      run.createdAt, run.startTime ?? null, run.endTime ?? null, run.pid ?? null, run.idempotencyKey ?? null,
      run.expectedStartTime ?? null, run.chain === undefined ? null : JSON.stringify(run.chain), run.host ?? null,
      run.processStartTime ?? null, json(run.retryBudget), run.workerName ?? null,
    ]);
    this.recordState(run.id, run.state);
  }

  createTaskRun(run: TaskRunRecord): void {
    this.taskInserts.set(run.id, [
      run.id, run.flowRunId, run.name, run.taskName, run.state.type, run.state.name, run.state.message ?? null,
      run.state.timestamp, run.attempts, run.mapIndex ?? null, tagsJson(run.tags), tagsJson(run.upstreamTaskRunIds),
      run.cacheKey ?? null, json(run.result), run.createdAt, run.startTime ?? null, run.endTime ?? null,
    ]);
    this.recordState(run.id, run.state);
  }

  updateFlowRun(id: string, patch: RunPatch, fence?: RunFence): void {
    const row = this.flowInserts.get(id);
    // A run created in this batch is this process's own: nobody else can have ended it yet.
    if (row) applyPatch(row, patch, FLOW, patch.runCount);
    else {
      const earlier = this.flowPatches.get(id);
      this.flowPatches.set(id, mergePatch(earlier, patch));
      fenceMerged(this.flowFences, id, earlier === undefined, fence);
    }
    if (patch.state) this.recordState(id, patch.state);
    else this.count++;
  }

  updateTaskRun(id: string, patch: RunPatch, fence?: RunFence): void {
    const row = this.taskInserts.get(id);
    if (row) applyPatch(row, patch, TASK, patch.attempts);
    else {
      const earlier = this.taskPatches.get(id);
      this.taskPatches.set(id, mergePatch(earlier, patch));
      fenceMerged(this.taskFences, id, earlier === undefined, fence);
    }
    if (patch.state) this.recordState(id, patch.state);
    else this.count++;
  }

  /** Whether a patch in this batch is fenced: only then can the commit refuse something. */
  get hasFences(): boolean {
    return this.flowFences.size > 0 || this.taskFences.size > 0;
  }

  appendLog(log: LogRecord): void {
    this.logs.push(log.flowRunId, log.taskRunId ?? null, log.level, log.message, log.timestamp);
    this.count++;
  }

  appendEvent(event: TributaryEvent): void {
    this.events.push(event.id, event.occurred, event.event, event.resource.id, JSON.stringify(event));
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
    this.flowFences.clear();
    this.taskFences.clear();
    this.history.length = 0;
    this.logs.length = 0;
    this.cache.length = 0;
    this.events.length = 0;
    this.count = 0;
  }

  private recordState(runId: string, state: State): void {
    this.history.push(runId, state.type, state.name, state.message ?? null, state.timestamp);
    this.count++;
  }
}

function applyPatch(row: Row, patch: RunPatch, at: PatchColumns, count: number | undefined): void {
  const state = patch.state;
  if (state !== undefined) {
    row[at.stateType] = state.type;
    row[at.stateType + 1] = state.name;
    row[at.stateType + 2] = state.message ?? null;
    row[at.stateType + 3] = state.timestamp;
  }
  if (patch.result !== undefined) row[at.result] = JSON.stringify(patch.result);
  if (patch.startTime !== undefined) row[at.startTime] = patch.startTime;
  if (patch.endTime !== undefined) row[at.endTime] = patch.endTime;
  if (count !== undefined) row[at.count] = count;
  if (patch.pid !== undefined && at.pid >= 0) row[at.pid] = patch.pid;
  if (patch.host !== undefined && at.host >= 0) row[at.host] = patch.host;
  if (patch.processStartTime !== undefined && at.processStartTime >= 0) row[at.processStartTime] = patch.processStartTime;
  if (patch.retryBudget !== undefined && at.retryBudget >= 0) row[at.retryBudget] = JSON.stringify(patch.retryBudget);
}

/** A run's merged patch keeps a fence only while every patch merged into it carried one. */
function fenceMerged(fences: Map<string, RunFence>, id: string, first: boolean, fence: RunFence | undefined): void {
  if (fence === undefined) fences.delete(id);
  else if (first || fences.has(id)) fences.set(id, fence);
}

/**
 * The state history of a batch without the rows of `runIds` (runs whose fenced patch was refused):
 * no history row may claim a transition the store did not make.
 */
export function historyWithout(history: readonly unknown[], runIds: ReadonlySet<string>): unknown[] {
  const width = HISTORY_COLUMNS.length;
  const kept: unknown[] = [];
  for (let i = 0; i < history.length; i += width) {
    if (!runIds.has(history[i] as string)) for (let c = 0; c < width; c++) kept.push(history[i + c]);
  }
  return kept;
}

function mergePatch(earlier: RunPatch | undefined, patch: RunPatch): RunPatch {
  return earlier === undefined ? { ...patch } : Object.assign(earlier, patch);
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Most task runs have no tags and no upstreams; skip JSON.stringify for them. */
function tagsJson(values: readonly string[]): string {
  return values.length === 0 ? "[]" : JSON.stringify(values);
}
