/**
 * The one interface the engine, the CLI and the server use to keep runs. SQLite is the embedded
 * default (sqlite-store.ts); PostgreSQL (postgres-store.ts) for a team; open-store.ts picks.
 *
 * Writes are queued and committed in groups (a commit costs ~35 µs here, see MEASURED.md); the
 * order of writes is kept. `flush()` commits what is queued; the engine flushes before the caller
 * of a run sees its final state. Reads see committed data and what this process has queued.
 */
import type {
  CacheEntry,
  ConcurrencyLimit,
  FlowRunFilter,
  FlowRunRecord,
  JsonValue,
  LogRecord,
  RefusedRun,
  RetryBudget,
  RunFence,
  RunPatch,
  StateHistoryEntry,
  StoredLogRecord,
  TaskRunRecord,
} from "./records.js";
import type { AutomationRecord, DeploymentRecord, RegisteredGraph, TributaryEvent, WorkerRecord } from "../orchestrator/contract.js";
import type { State, StateType } from "../states.js";

/** How a run whose process was stopped ends (see {@link Store.endAbandonedRun}), and why. */
export interface AbandonedRunEnding {
  state: "TimedOut" | "Cancelled" | "Crashed";
  message: string;
  /**
   * For a crash its flow's retries cover (crash-retry.ts): the run itself goes `Scheduled` again, to
   * start at `startAt` with the budget left, while everything under it ends `Crashed` — only if the
   * run is still in the state the caller judged (its timestamp `seenStateAt`): one rescheduled and
   * claimed meanwhile (by another sweep, or the runner itself) is left alone.
   */
  retry?: { message: string; startAt: Date; budget: RetryBudget; seenStateAt: string };
}

/** How {@link Store.transitionFlowRunIf} moves a run, besides its state. */
export interface TransitionOptions {
  /**
   * The move hands the run to a new execution (`flow-run retry` of a finished run): its epoch is
   * raised, so the writes of any process still executing an earlier one are refused (RunFence).
   */
  newEpoch?: boolean;
}

/** What a claim of a due deployment run asks for (see {@link Store.claimDueRun}). */
export interface DueRunClaim {
  /** The claim's time: the Pending state's and the run's first heartbeat. */
  at: Date;
  /**
   * The claiming worker's name (its WorkerRecord.name), recorded on the run as its `workerName`: a
   * retried run's new claim replaces the earlier one's, since the latest claimer executes it.
   */
  workerName: string;
  /** The run's deployment and its `concurrencyLimit`, when it has one. */
  deploymentLimit?: { deploymentId: string; limit: number };
  /** The run's tags: one slot of each limited tag is taken for the run (keyed by its id), all or none. */
  tags: readonly string[];
  /**
   * The run's epoch as the claimer read it (FlowRunRecord.epoch, 0 when absent): a run handed to a
   * new execution since is `taken`, so the record the claimer starts names the execution it claimed.
   */
  epoch: number;
}

/**
 * How a claim ended: `claimed` (the run is this caller's to start), `taken` (it is not due any
 * more: another worker claimed it, or it was cancelled or deleted), `deployment-full` or
 * `tags-full` (a concurrency limit holds it back; nothing was changed).
 */
export type DueRunClaimResult = "claimed" | "taken" | "deployment-full" | "tags-full";

/** Which events to read back, oldest first. */
export interface EventFilter {
  /** Only events with this name (`tributary.flow-run.Completed`). */
  event?: string;
  /** Only events about this resource (`tributary.flow-run.<id>`). */
  resourceId?: string;
  /** The newest this many (default 100). */
  limit?: number;
}

export interface Store {
  /** The file or URL behind the store, for messages (a URL's password masked). */
  readonly location: string;
  /**
   * PostgreSQL only: the URL the store was opened with, password included, so that the processes
   * executing runs (run-child.ts) open the same database. Never printed.
   */
  readonly databaseUrl?: string;

  createFlowRun(run: FlowRunRecord): void;
  /**
   * Queues a change to a flow run. With a `fence` (the run's own process writes so), it applies only
   * while the run is still at the fence's epoch and not final; otherwise the commit refuses it, with
   * the state history it brought, and reports it to {@link onWritesRefused}. The check is part of
   * the batch's UPDATE, not a read of its own. Without one (the server's writes), it always applies.
   */
  updateFlowRun(id: string, patch: RunPatch, fence?: RunFence): void;
  createTaskRun(run: TaskRunRecord): void;
  /** Queues a change to a task run; a `fence` (its flow run's) guards it as {@link updateFlowRun}'s does. */
  updateTaskRun(id: string, patch: RunPatch, fence?: RunFence): void;
  /**
   * `listener` is told, after each commit that refused fenced writes, which runs they were for and
   * what state each has now — once per run and epoch; later fenced writes for it are dropped unqueued.
   * Answers the function that stops listening.
   */
  onWritesRefused(listener: (refused: readonly RefusedRun[]) => void): () => void;
  appendLog(log: LogRecord): void;
  writeCache(entry: CacheEntry): void;
  /** Commit every queued write. */
  flush(): Promise<void>;

  getFlowRun(id: string): Promise<FlowRunRecord | undefined>;
  /**
   * Moves the flow run to `state` only if its state is of type `fromType` now: the check and the
   * write are one transaction, so of two processes racing (a resume and the pause's timeout) one
   * wins. Answers whether it moved. Committed before it returns.
   */
  transitionFlowRunIf(id: string, fromType: StateType, state: State, options?: TransitionOptions): Promise<boolean>;
  /** Runs whose id starts with `prefix` (at most `limit`), so the CLI can take short ids. */
  findFlowRunsByIdPrefix(prefix: string, limit?: number): Promise<FlowRunRecord[]>;
  /** Runs named exactly `name` (at most `limit`), newest first, so the CLI can take a run's name. */
  findFlowRunsByName(name: string, limit?: number): Promise<FlowRunRecord[]>;
  /** Runs whose causal chain names the flow run `flowRunId` (runs it caused, directly or not), oldest first. */
  listFlowRunsCausedBy(flowRunId: string, limit?: number): Promise<FlowRunRecord[]>;
  listFlowRuns(filter?: FlowRunFilter): Promise<FlowRunRecord[]>;
  getTaskRuns(flowRunId: string): Promise<TaskRunRecord[]>;
  getTaskRun(id: string): Promise<TaskRunRecord | undefined>;
  getSubflowRuns(parentFlowRunId: string): Promise<FlowRunRecord[]>;
  /** Of the flow runs `ids`, those that have a task run or a subflow run (a list shows which can be expanded). */
  flowRunsWithChildren(ids: readonly string[]): Promise<Set<string>>;
  getStateHistory(runId: string): Promise<StateHistoryEntry[]>;
  /** Logs of a flow run and its task runs, in order; `afterId` reads only newer lines. */
  getLogs(flowRunId: string, options?: { afterId?: number; limit?: number }): Promise<StoredLogRecord[]>;
  readCache(key: string, now: Date): Promise<CacheEntry | undefined>;

  /**
   * Ends a run that cannot finish any more (its process died) as `Crashed`, with every task run and
   * subflow run under it that is not final yet. Committed before it returns.
   */
  markRunCrashed(flowRunId: string, message: string, at: Date): Promise<void>;

  /**
   * Ends a run whose process was stopped from outside, with every task run and subflow run under it
   * that is not final yet: the run `TimedOut` (what is under it `Cancelled`), `Cancelled` (all of
   * it) or `Crashed` (all of it, as {@link markRunCrashed}); with `ending.retry`, the run itself
   * `Scheduled` again instead. The run itself is left alone when it is final already. Committed before
   * it returns. A retry raises the run's epoch (a new execution; see RunFence).
   */
  endAbandonedRun(flowRunId: string, ending: AbandonedRunEnding, at: Date): Promise<void>;

  /**
   * Deletes every finished flow run (Completed, Failed, Cancelled, Crashed) with its task runs,
   * state history and logs; answers how many flow runs went. Runs not final yet are kept.
   */
  deleteFinishedFlowRuns(): Promise<number>;

  createConcurrencyLimit(tag: string, limit: number, at: Date): Promise<void>;
  listConcurrencyLimits(): Promise<ConcurrencyLimit[]>;
  deleteConcurrencyLimit(tag: string): Promise<boolean>;
  /**
   * Takes one slot of every limited tag among `tags` for `taskRunId`, all or none.
   * Tags without a limit need no slot. Returns false when some limit is full.
   */
  tryAcquireConcurrencySlots(tags: string[], taskRunId: string, flowRunId: string, at: Date): Promise<boolean>;
  releaseConcurrencySlots(taskRunId: string): Promise<void>;

  /**
   * Creates a deployment's flow run unless the deployment already has a run with the same
   * `idempotencyKey`; then that run is returned with `created: false`. `event`, the event of its
   * creation, is stored when the run is new (on SQLite in the same transaction; the caller hands it
   * to subscribers: EventHub.deliver). Committed before it returns.
   */
  createDeploymentRun(run: FlowRunRecord & { deploymentId: string }, event?: TributaryEvent): Promise<{ run: FlowRunRecord; created: boolean }>;
  /**
   * Deletes the deployment's runs that have not started (a SCHEDULED state type — Scheduled, Late —
   * and no attempt yet) whose idempotency key starts with `idempotencyKeyPrefix`, with their state
   * history; answers their ids. Committed before it returns.
   */
  deleteUnstartedDeploymentRuns(deploymentId: string, idempotencyKeyPrefix: string): Promise<string[]>;
  /**
   * Takes a due deployment run for this caller's worker, atomically: in one transaction the run
   * moves from a waiting state (Scheduled, Late, AwaitingConcurrencySlot) to Pending, with a
   * heartbeat, only when it is still in one, when its deployment has fewer than `limit` runs
   * started and not final (Pending, Running, Cancelling, Paused — counted in the store, so across
   * every server on it), and when every limited tag has a free slot. Of two workers (two servers
   * on one database) that see the same due run, exactly one gets `claimed`. The claim writes no
   * state history: the run's process records its own Pending as it adopts the run. The process of
   * an earlier execution (a retried run's) is forgotten, so that its death is not taken for this
   * one's, and the claimer's name replaces its worker's. Committed before it returns.
   */
  claimDueRun(flowRunId: string, claim: DueRunClaim): Promise<DueRunClaimResult>;
  /**
   * Claims several due runs, as claimDueRun each, in order: a later claim counts the runs and tag
   * slots the earlier ones took. An answer per run, in the order asked. On SQLite they share one
   * transaction (the file's write lock serialises claimers anyway); on PostgreSQL each has its own,
   * so that two workers claiming overlapping runs never hold row locks the other waits for.
   */
  claimDueRuns(claims: readonly { flowRunId: string; claim: DueRunClaim }[]): Promise<DueRunClaimResult[]>;
  /** Runs not final yet (Scheduled, Late, Pending, Running, Cancelling, Paused), oldest first. */
  listActiveFlowRuns(): Promise<FlowRunRecord[]>;
  /** Notes that the processes executing these runs are alive. */
  recordHeartbeat(flowRunIds: readonly string[], at: Date): Promise<void>;
  /** Inserts or replaces a worker's record (by name): its start, each heartbeat, its stop. */
  saveWorker(worker: WorkerRecord): Promise<void>;
  /** Every worker recorded, the last heard of first. */
  listWorkers(): Promise<WorkerRecord[]>;

  listDeployments(): Promise<DeploymentRecord[]>;
  getDeployment(name: string): Promise<DeploymentRecord | undefined>;
  getDeploymentById(id: string): Promise<DeploymentRecord | undefined>;
  /** Inserts the deployment, or replaces the one with the same name (keeping its id and createdAt). */
  saveDeployment(deployment: DeploymentRecord): Promise<DeploymentRecord>;

  listAutomations(): Promise<AutomationRecord[]>;
  getAutomation(name: string): Promise<AutomationRecord | undefined>;
  /** Inserts the automation, or replaces the one with the same name (keeping its id and createdAt). */
  saveAutomation(automation: AutomationRecord): Promise<AutomationRecord>;

  /** Inserts or replaces the static graph of a project (by its `root`), as `tributary deploy` sent it. */
  saveRegisteredGraph(graph: RegisteredGraph): Promise<void>;
  /** Every project's graph, by `root`. */
  listRegisteredGraphs(): Promise<RegisteredGraph[]>;

  /** Queues an event, committed with the next batch of writes. */
  appendEvent(event: TributaryEvent): void;
  listEvents(filter?: EventFilter): Promise<TributaryEvent[]>;

  close(): Promise<void>;
}

export type { JsonValue };
