/**
 * What the store holds, in the shapes the engine writes and the CLI and extension read.
 * Times are ISO 8601 strings; parameters and results are JSON values.
 */
import type { State, StateName, StateType } from "../states.js";
import type { CausalLink } from "../orchestrator/contract.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface FlowRunRecord {
  id: string;
  /** A generated, human-friendly run name (`"crimson-otter"`), or the one asked for. */
  name: string;
  flowName: string;
  flowVersion?: string;
  /** The run this one is a subflow of. */
  parentFlowRunId?: string;
  /** The task run (if any) inside the parent that called this subflow. */
  parentTaskRunId?: string;
  deploymentId?: string;
  /** Where the flow is defined (`file.ts:exportName`), so a run can be retried or revealed. */
  entrypoint?: string;
  state: State;
  parameters: Record<string, JsonValue>;
  result?: JsonValue;
  tags: string[];
  /** How many times the flow body ran (1 + retries taken). */
  runCount: number;
  createdAt: string;
  startTime?: string;
  endTime?: string;
  /** The pid of the process executing the run, so a dead process can be told apart from a slow one. */
  pid?: number;
  /** The host name of the machine whose process `pid` is: another machine's pid says nothing here. */
  host?: string;
  /**
   * When the process `pid` started, in clock ticks since boot (Linux: field 22 of /proc/<pid>/stat),
   * so that another process given the same pid later is not taken for it. Absent where unknown.
   */
  processStartTime?: number;
  /** For a deployment run: a key unique within the deployment, so asking twice makes one run. */
  idempotencyKey?: string;
  /** For a scheduled run: when it is meant to start (ISO 8601). */
  expectedStartTime?: string;
  /** Which runs, deployments and automations led to this run, oldest first. */
  chain?: CausalLink[];
  /** When the process executing the run last said it was alive. */
  heartbeat?: string;
  /** For a deployment run: what its flow's retries still cover should its process crash (crash-retry.ts). */
  retryBudget?: RetryBudget;
  /**
   * For a deployment run: the name of the worker that claimed it last (its `WorkerRecord.name`, as
   * GET /api/workers lists it), so its runs can be listed from the worker. Absent for a run no worker
   * claimed (`tributary run`, the editor). A run retried after a crash keeps it until the next claim.
   */
  workerName?: string;
  /**
   * Which execution of the run is current: 0 when created, raised each time the server hands the run
   * to a new execution (a crash retry, `flow-run retry`). The writes of the run's process carry the
   * epoch it was given (a {@link RunFence}), so a process of an earlier execution cannot write into
   * this one. Absent when 0.
   */
  epoch?: number;
}

/**
 * What a deployment run's retries still cover, written by the engine as each attempt starts, so that
 * a server that finds the run's process gone (it cannot load the flow) can retry it as the flow would.
 */
export interface RetryBudget {
  /** Attempts the run may still make after the current one: a crash now is retried when it is at least 1. */
  left: number;
  /** The delay before the next attempt, in ms (the flow's `retryDelaySeconds` for it). */
  delayMs: number;
  /**
   * Set by the server that rescheduled the run after a crash: the current attempt is then the retry
   * it scheduled, and `left` more may follow — not the flow's whole `retries` again.
   */
  carried?: true;
}

export interface TaskRunRecord {
  id: string;
  flowRunId: string;
  /** `"<taskName>-<n>"`, unique within its flow run, like Prefect's task run names. */
  name: string;
  taskName: string;
  state: State;
  /** How many attempts ran (1 + retries taken). */
  attempts: number;
  /** The index in a `.map(...)` fan-out. */
  mapIndex?: number;
  tags: string[];
  /** Task runs whose results or futures this one received, or named in `waitFor`: the edges of a run graph. */
  upstreamTaskRunIds: string[];
  cacheKey?: string;
  result?: JsonValue;
  createdAt: string;
  startTime?: string;
  endTime?: string;
}

/** A change to a run. When `state` is given, the transition is appended to the run's state history. */
export interface RunPatch {
  state?: State;
  result?: JsonValue;
  startTime?: string;
  endTime?: string;
  runCount?: number;
  attempts?: number;
  pid?: number;
  host?: string;
  processStartTime?: number;
  retryBudget?: RetryBudget;
}

/**
 * What makes a write the write of a run's own process (Store.updateFlowRun, Store.updateTaskRun):
 * it applies only while the flow run `flowRunId` (the task run's, for a task run) is still at
 * `epoch` and not final. Otherwise the store refuses it — the run was ended by someone else (a
 * cancel, another server's crash sweep) or handed to a new execution — commits nothing of it (no
 * state history either), and reports it (Store.onWritesRefused). As Prefect's orchestration aborts a
 * client's transition out of a terminal state.
 */
export interface RunFence {
  flowRunId: string;
  /** The run's {@link FlowRunRecord.epoch} as the process was given it (0 when absent). */
  epoch: number;
}

/** A flow run whose process's writes the store refused (see {@link RunFence}). */
export interface RefusedRun {
  flowRunId: string;
  /** The fence the refused writes carried. */
  epoch: number;
  /** The run as the store holds it now; undefined when it is not there any more. */
  current?: { state: State; epoch: number };
}

export interface StateHistoryEntry extends State {
  runId: string;
}

export type LogLevel = "debug" | "info" | "warning" | "error";

export interface LogRecord {
  flowRunId: string;
  taskRunId?: string;
  level: LogLevel;
  message: string;
  timestamp: string;
}

export interface StoredLogRecord extends LogRecord {
  /** Increasing; read logs after a known id to follow a run. */
  id: number;
}

export interface CacheEntry {
  key: string;
  result: JsonValue;
  /** When the entry stops being valid; absent = never. */
  expiresAt?: string;
  taskRunId: string;
}

export interface ConcurrencyLimit {
  tag: string;
  limit: number;
  /** How many slots are taken now. */
  active: number;
  createdAt: string;
}

export interface FlowRunFilter {
  flowName?: string;
  /** Matches a state name (`"Completed"`) or a state type (`"COMPLETED"`). */
  state?: StateName | StateType;
  parentFlowRunId?: string | null;
  deploymentId?: string;
  /** Runs the worker of this name claimed last (FlowRunRecord.workerName). */
  workerName?: string;
  /** Runs carrying every one of these tags. */
  tags?: string[];
  /** Runs carrying at least one of these tags. */
  anyTags?: string[];
  /** Runs that started at or after this moment (ISO 8601, UTC as `toISOString` writes it); runs not started do not match. */
  startedAfter?: string;
  /** Runs that started at or before this moment (ISO 8601, UTC); runs not started do not match. */
  startedBefore?: string;
  /**
   * Only runs created before the run with this id (a page cursor: pass the last id of a page to
   * read the next one, newest first). An unknown id matches nothing.
   */
  before?: string;
  limit?: number;
  /** Newest first by default. */
  sort?: "created-desc" | "created-asc";
}
