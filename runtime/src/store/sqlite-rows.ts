/** Mapping between the store's records and SQLite rows. */
import type { StateName, StateType } from "../states.js";
import type { FlowRunRecord, JsonValue, StateHistoryEntry, StoredLogRecord, TaskRunRecord } from "./records.js";

export interface FlowRunRow {
  id: string;
  name: string;
  flow_name: string;
  flow_version: string | null;
  parent_flow_run_id: string | null;
  parent_task_run_id: string | null;
  deployment_id: string | null;
  entrypoint: string | null;
  state_type: string;
  state_name: string;
  state_message: string | null;
  state_timestamp: string;
  parameters: string;
  result: string | null;
  tags: string;
  run_count: number;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
  pid: number | null;
  idempotency_key: string | null;
  expected_start_time: string | null;
  chain: string | null;
  heartbeat: string | null;
  host: string | null;
  process_start_time: number | null;
  retry_budget: string | null;
  worker_name: string | null;
  epoch: number;
}

export interface TaskRunRow {
  id: string;
  flow_run_id: string;
  name: string;
  task_name: string;
  state_type: string;
  state_name: string;
  state_message: string | null;
  state_timestamp: string;
  attempts: number;
  map_index: number | null;
  tags: string;
  upstream_task_run_ids: string;
  cache_key: string | null;
  result: string | null;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
}

export function rowToFlowRun(row: FlowRunRow): FlowRunRecord {
  const run: FlowRunRecord = {
    id: row.id,
    name: row.name,
    flowName: row.flow_name,
    state: stateOf(row),
    parameters: JSON.parse(row.parameters) as Record<string, JsonValue>,
    tags: JSON.parse(row.tags) as string[],
    runCount: row.run_count,
    createdAt: row.created_at,
  };
  if (row.flow_version !== null) run.flowVersion = row.flow_version;
  if (row.parent_flow_run_id !== null) run.parentFlowRunId = row.parent_flow_run_id;
  if (row.parent_task_run_id !== null) run.parentTaskRunId = row.parent_task_run_id;
  if (row.deployment_id !== null) run.deploymentId = row.deployment_id;
  if (row.entrypoint !== null) run.entrypoint = row.entrypoint;
  if (row.result !== null) run.result = JSON.parse(row.result) as JsonValue;
  if (row.start_time !== null) run.startTime = row.start_time;
  if (row.end_time !== null) run.endTime = row.end_time;
  if (row.pid !== null) run.pid = row.pid;
  if (row.host !== null) run.host = row.host;
  if (row.process_start_time !== null) run.processStartTime = row.process_start_time;
  if (row.idempotency_key !== null) run.idempotencyKey = row.idempotency_key;
  if (row.expected_start_time !== null) run.expectedStartTime = row.expected_start_time;
  if (row.chain !== null) run.chain = JSON.parse(row.chain) as FlowRunRecord["chain"];
  if (row.heartbeat !== null) run.heartbeat = row.heartbeat;
  if (row.retry_budget !== null) run.retryBudget = JSON.parse(row.retry_budget) as FlowRunRecord["retryBudget"];
  if (row.worker_name !== null) run.workerName = row.worker_name;
  if (row.epoch > 0) run.epoch = row.epoch;
  return run;
}

export function rowToTaskRun(row: TaskRunRow): TaskRunRecord {
  const run: TaskRunRecord = {
    id: row.id,
    flowRunId: row.flow_run_id,
    name: row.name,
    taskName: row.task_name,
    state: stateOf(row),
    attempts: row.attempts,
    tags: JSON.parse(row.tags) as string[],
    upstreamTaskRunIds: JSON.parse(row.upstream_task_run_ids) as string[],
    createdAt: row.created_at,
  };
  if (row.map_index !== null) run.mapIndex = row.map_index;
  if (row.cache_key !== null) run.cacheKey = row.cache_key;
  if (row.result !== null) run.result = JSON.parse(row.result) as JsonValue;
  if (row.start_time !== null) run.startTime = row.start_time;
  if (row.end_time !== null) run.endTime = row.end_time;
  return run;
}

export interface StateHistoryRow {
  run_id: string;
  type: string;
  name: string;
  message: string | null;
  timestamp: string;
}

export function rowToStateHistory(row: StateHistoryRow): StateHistoryEntry {
  const entry: StateHistoryEntry = {
    runId: row.run_id,
    type: row.type as StateType,
    name: row.name as StateName,
    timestamp: row.timestamp,
  };
  if (row.message !== null) entry.message = row.message;
  return entry;
}

export interface LogRow {
  id: number;
  flow_run_id: string;
  task_run_id: string | null;
  level: string;
  message: string;
  timestamp: string;
}

export function rowToLog(row: LogRow): StoredLogRecord {
  const log: StoredLogRecord = {
    id: row.id,
    flowRunId: row.flow_run_id,
    level: row.level as StoredLogRecord["level"],
    message: row.message,
    timestamp: row.timestamp,
  };
  if (row.task_run_id !== null) log.taskRunId = row.task_run_id;
  return log;
}

/** The state a row of flow_runs or task_runs holds. */
export function stateOf(row: { state_type: string; state_name: string; state_message: string | null; state_timestamp: string }) {
  const state: FlowRunRecord["state"] = {
    type: row.state_type as StateType,
    name: row.state_name as StateName,
    timestamp: row.state_timestamp,
  };
  if (row.state_message !== null) state.message = row.state_message;
  return state;
}
