/**
 * The embedded store: one SQLite file, WAL, `synchronous=NORMAL`, through node:sqlite or
 * better-sqlite3 (sqlite-driver.ts chooses; nothing here depends on which).
 *
 * Writes are queued (pending-writes.ts) and committed in one transaction when the event loop
 * turns, when a batch reaches MAX_BATCH operations, or on `flush()`. Killing the process loses
 * only writes not yet committed; WAL keeps the file consistent. Reads flush first, so a reader in
 * this process sees its own writes.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { isFinal, makeState, type State, type StateType } from "../states.js";
import { migrate } from "./migrations.js";
import { isSqliteBusy, openSqliteConnection, usableSqliteDriver, type SqliteConnection, type SqliteDriverName, type SqliteStatement, type SqliteValue } from "./sqlite-driver.js";
import type { AutomationRecord, DeploymentRecord, RegisteredGraph, TributaryEvent, WorkerRecord } from "../orchestrator/contract.js";
import { EVENT_COLUMNS, FLOW_RUN_COLUMNS, HISTORY_COLUMNS, historyWithout, LOG_COLUMNS, PendingWrites, TASK_RUN_COLUMNS } from "./pending-writes.js";
import { RefusedRuns } from "./refused-runs.js";
import type {
  CacheEntry,
  ConcurrencyLimit,
  FlowRunFilter,
  FlowRunRecord,
  JsonValue,
  LogRecord,
  RefusedRun,
  RunFence,
  RunPatch,
  StateHistoryEntry,
  StoredLogRecord,
  TaskRunRecord,
} from "./records.js";
import {
  rowToFlowRun,
  rowToLog,
  rowToStateHistory,
  rowToTaskRun,
  type FlowRunRow,
  type LogRow,
  type StateHistoryRow,
  type TaskRunRow,
} from "./sqlite-rows.js";
import { DUE_STATE_NAMES } from "./due-runs.js";
import type { AbandonedRunEnding, DueRunClaim, DueRunClaimResult, EventFilter, Store, TransitionOptions } from "./store.js";

/** A batch larger than this is committed at once, so a long chain of microtasks cannot grow it without bound. */
const MAX_BATCH = 2048;
/** Bound values per multi-row INSERT (SQLite allows 32,766). */
const MAX_VARIABLES = 2000;

export interface SqliteStoreOptions {
  /**
   * The SQLite library: `"node:sqlite"` (built into Node 22.13+) or `"better-sqlite3"` (the
   * fallback, an optional dependency). Defaults to `TRIBUTARY_SQLITE_DRIVER`, else node:sqlite
   * where the Node has it.
   * @example openSqliteStore(".tributary/tributary.db", { driver: "better-sqlite3" })
   */
  driver?: SqliteDriverName;
  /** Called when a commit that nobody awaits fails (a background flush). Defaults to printing to stderr. */
  onBackgroundError?: (error: Error) => void;
}

/** A flow run's state is not final (states.ts, FINAL_STATE_TYPES). */
const NOT_FINAL = "state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')";

/** Whether the flow run `f` has a task run or a subflow run: each EXISTS reads one index entry. */
const HAS_CHILDREN = "EXISTS (SELECT 1 FROM task_runs WHERE flow_run_id = f.id) OR EXISTS (SELECT 1 FROM flow_runs AS c WHERE c.parent_flow_run_id = f.id)";

export class SqliteStore implements Store {
  readonly location: string;
  /** The SQLite library this store runs on. */
  readonly driver: SqliteDriverName;
  private readonly db: SqliteConnection;
  private readonly pending = new PendingWrites();
  private readonly refusedRuns = new RefusedRuns();
  private flushScheduled = false;
  /** Deployment runs asked for this turn (createDeploymentRun). */
  private readonly creations: {
    run: FlowRunRecord & { deploymentId: string };
    event: TributaryEvent | undefined;
    resolve: (created: { run: FlowRunRecord; created: boolean }) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private closed = false;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly chunkedInserts = new Map<string, SqliteStatement>();
  private readonly onBackgroundError: (error: Error) => void;
  private readonly flushOnExit = () => {
    if (!this.closed) this.commitPending();
  };

  constructor(filePath: string, options: SqliteStoreOptions = {}) {
    this.location = filePath;
    // The driver first: without a usable one, nothing is created.
    this.driver = usableSqliteDriver(options.driver);
    if (filePath !== ":memory:") mkdirSync(path.dirname(filePath), { recursive: true });
    this.db = openSqliteConnection(filePath, { driver: this.driver });
    // First, so that migrating a new file waits for other openers.
    this.db.pragma("busy_timeout = 10000");
    switchToWal(this.db);
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("cache_size = -32000"); // 32 MB of page cache: batches touch many index pages
    this.db.pragma("foreign_keys = OFF");
    migrate(this.db);
    this.statements = prepareStatements(this.db);
    this.onBackgroundError =
      options.onBackgroundError ?? ((error) => process.stderr.write(`tributary: could not write to the store at ${filePath}: ${error.message}\n`));
    process.on("exit", this.flushOnExit);
  }

  createFlowRun(run: FlowRunRecord): void {
    this.pending.createFlowRun(run);
    this.scheduleFlush();
  }

  updateFlowRun(id: string, patch: RunPatch, fence?: RunFence): void {
    if (this.refusedRuns.refuses(fence)) return;
    this.pending.updateFlowRun(id, patch, fence);
    this.scheduleFlush();
  }

  createTaskRun(run: TaskRunRecord): void {
    this.pending.createTaskRun(run);
    this.scheduleFlush();
  }

  updateTaskRun(id: string, patch: RunPatch, fence?: RunFence): void {
    if (this.refusedRuns.refuses(fence)) return;
    this.pending.updateTaskRun(id, patch, fence);
    this.scheduleFlush();
  }

  onWritesRefused(listener: (refused: readonly RefusedRun[]) => void): () => void {
    return this.refusedRuns.onRefused(listener);
  }

  appendLog(log: LogRecord): void {
    this.pending.appendLog(log);
    this.scheduleFlush();
  }

  writeCache(entry: CacheEntry): void {
    this.pending.writeCache(entry);
    this.scheduleFlush();
  }

  async flush(): Promise<void> {
    this.commitPending();
  }

  async getFlowRun(id: string): Promise<FlowRunRecord | undefined> {
    this.commitPending();
    const row = this.statements.getFlowRun.get(id) as FlowRunRow | undefined;
    return row ? rowToFlowRun(row) : undefined;
  }

  async transitionFlowRunIf(id: string, fromType: StateType, state: State, options: TransitionOptions = {}): Promise<boolean> {
    this.commitPending();
    return this.db.immediate(() => {
      const row = this.statements.getFlowRun.get(id) as FlowRunRow | undefined;
      if (row === undefined || row.state_type !== fromType) return false;
      this.statements.updateFlowRun.run({ ...patchParams(id, { state }), run_count: null, pid: null, host: null, process_start_time: null, retry_budget: null });
      if (options.newEpoch === true) this.statements.raiseEpoch.run(id);
      this.statements.insertHistory.run(id, state.type, state.name, state.message ?? null, state.timestamp);
      return true;
    });
  }

  async findFlowRunsByIdPrefix(prefix: string, limit = 10): Promise<FlowRunRecord[]> {
    this.commitPending();
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = this.statements.findByPrefix.all(`${escaped}%`, limit) as FlowRunRow[];
    return rows.map(rowToFlowRun);
  }

  async findFlowRunsByName(name: string, limit = 10): Promise<FlowRunRecord[]> {
    this.commitPending();
    // No index on names: only the CLI looks runs up by name, once per command.
    return (this.statements.findByName.all(name, limit) as FlowRunRow[]).map(rowToFlowRun);
  }

  async listFlowRunsCausedBy(flowRunId: string, limit = 1_000): Promise<FlowRunRecord[]> {
    this.commitPending();
    // The chain is stored as JSON text: LIKE narrows the rows (a scan; only `flow-run inspect` asks),
    // the parsed chain decides.
    const escaped = JSON.stringify(flowRunId).replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = this.statements.findByChain.all(`%"id":${escaped}%`, flowRunId, limit) as FlowRunRow[];
    return rows.map(rowToFlowRun).filter((run) => (run.chain ?? []).some((link) => link.kind === "flow-run" && link.id === flowRunId));
  }

  async listFlowRuns(filter: FlowRunFilter = {}): Promise<FlowRunRecord[]> {
    this.commitPending();
    const where: string[] = [];
    const params: SqliteValue[] = [];
    if (filter.flowName !== undefined) {
      where.push("flow_name = ?");
      params.push(filter.flowName);
    }
    if (filter.state !== undefined) {
      where.push(/^[A-Z]+$/.test(filter.state) ? "state_type = ?" : "state_name = ?");
      params.push(filter.state);
    }
    if (filter.deploymentId !== undefined) {
      where.push("deployment_id = ?");
      params.push(filter.deploymentId);
    }
    if (filter.workerName !== undefined) {
      where.push("worker_name = ?");
      params.push(filter.workerName);
    }
    if (filter.parentFlowRunId === null) where.push("parent_flow_run_id IS NULL");
    else if (filter.parentFlowRunId !== undefined) {
      where.push("parent_flow_run_id = ?");
      params.push(filter.parentFlowRunId);
    }
    if (filter.before !== undefined) {
      // seq orders runs by creation; the cursor's own seq comes from the unique index on id.
      where.push("seq < (SELECT seq FROM flow_runs WHERE id = ?)");
      params.push(filter.before);
    }
    for (const tag of filter.tags ?? []) {
      where.push("EXISTS (SELECT 1 FROM json_each(flow_runs.tags) WHERE json_each.value = ?)");
      params.push(tag);
    }
    if (filter.anyTags !== undefined) {
      where.push(`EXISTS (SELECT 1 FROM json_each(flow_runs.tags) WHERE json_each.value IN (${filter.anyTags.map(() => "?").join(", ")}))`);
      params.push(...filter.anyTags);
    }
    if (filter.startedAfter !== undefined) {
      where.push("start_time >= ?");
      params.push(filter.startedAfter);
    }
    if (filter.startedBefore !== undefined) {
      where.push("start_time <= ?");
      params.push(filter.startedBefore);
    }
    const order = filter.sort === "created-asc" ? "ASC" : "DESC";
    const limit = filter.limit ?? 100;
    const sql = `SELECT * FROM flow_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${order} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit) as FlowRunRow[];
    return rows.map(rowToFlowRun);
  }

  async flowRunsWithChildren(ids: readonly string[]): Promise<Set<string>> {
    this.commitPending();
    if (ids.length === 0) return new Set();
    const rows = this.db.prepare(`SELECT id FROM flow_runs AS f WHERE id IN (${ids.map(() => "?").join(", ")}) AND (${HAS_CHILDREN})`).all(...ids) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  async getTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    this.commitPending();
    return (this.statements.getTaskRuns.all(flowRunId) as TaskRunRow[]).map(rowToTaskRun);
  }

  async getTaskRun(id: string): Promise<TaskRunRecord | undefined> {
    this.commitPending();
    const row = this.statements.getTaskRun.get(id) as TaskRunRow | undefined;
    return row ? rowToTaskRun(row) : undefined;
  }

  async getSubflowRuns(parentFlowRunId: string): Promise<FlowRunRecord[]> {
    this.commitPending();
    return (this.statements.getSubflowRuns.all(parentFlowRunId) as FlowRunRow[]).map(rowToFlowRun);
  }

  async getStateHistory(runId: string): Promise<StateHistoryEntry[]> {
    this.commitPending();
    return (this.statements.getStateHistory.all(runId) as StateHistoryRow[]).map(rowToStateHistory);
  }

  async getLogs(flowRunId: string, options: { afterId?: number; limit?: number } = {}): Promise<StoredLogRecord[]> {
    this.commitPending();
    const rows = this.statements.getLogs.all(flowRunId, options.afterId ?? 0, options.limit ?? -1) as LogRow[];
    return rows.map(rowToLog);
  }

  async readCache(key: string, now: Date): Promise<CacheEntry | undefined> {
    this.commitPending();
    const row = this.statements.readCache.get(key) as
      | { key: string; result: string; expires_at: string | null; task_run_id: string }
      | undefined;
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
    const entry: CacheEntry = { key: row.key, result: JSON.parse(row.result) as JsonValue, taskRunId: row.task_run_id };
    if (row.expires_at !== null) entry.expiresAt = row.expires_at;
    return entry;
  }

  async markRunCrashed(flowRunId: string, message: string, at: Date): Promise<void> {
    await this.endAbandonedRun(flowRunId, { state: "Crashed", message }, at);
  }

  async endAbandonedRun(flowRunId: string, ending: AbandonedRunEnding, at: Date): Promise<void> {
    this.commitPending();
    // A timed-out run's tasks and subflows were stopped because of it: the engine cancels them too.
    const retry = ending.retry;
    const own = retry === undefined ? makeState(ending.state, at, ending.message) : makeState("Scheduled", at, retry.message);
    const under = makeState(ending.state === "Crashed" ? "Crashed" : "Cancelled", at, ending.message);
    this.db.immediate(() => {
      const runs = this.statements.descendantRuns.all(flowRunId) as FlowRunRow[];
      if (retry !== undefined && runs.find((run) => run.id === flowRunId)?.state_timestamp !== retry.seenStateAt) return;
      for (const run of runs) {
        const state = run.id === flowRunId ? own : under;
        if (!isFinal({ type: run.state_type as never })) {
          const fields = { id: run.id, type: state.type, name: state.name, message: state.message ?? null, timestamp: state.timestamp };
          if (run.id === flowRunId && retry !== undefined) {
            this.statements.rescheduleFlowRun.run({ ...fields, start: retry.startAt.toISOString(), budget: JSON.stringify(retry.budget) });
          } else this.statements.endFlowRun.run(fields);
          this.statements.insertHistory.run(run.id, state.type, state.name, state.message ?? null, state.timestamp);
        }
        const tasks = this.statements.getTaskRuns.all(run.id) as TaskRunRow[];
        for (const task of tasks) {
          if (isFinal({ type: task.state_type as never })) continue;
          this.statements.endTaskRun.run({ id: task.id, type: under.type, name: under.name, message: under.message ?? null, timestamp: under.timestamp });
          this.statements.insertHistory.run(task.id, under.type, under.name, under.message ?? null, under.timestamp);
          this.statements.releaseSlots.run(task.id);
        }
      }
    });
  }

  async deleteFinishedFlowRuns(): Promise<number> {
    this.commitPending();
    const final = `state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')`;
    return this.db.immediate(() => {
      this.db.exec(`
        CREATE TEMP TABLE IF NOT EXISTS doomed_runs (id TEXT PRIMARY KEY);
        DELETE FROM doomed_runs;
        INSERT INTO doomed_runs SELECT id FROM flow_runs WHERE ${final};
        DELETE FROM logs WHERE flow_run_id IN (SELECT id FROM doomed_runs);
        DELETE FROM state_history WHERE run_id IN (SELECT id FROM task_runs WHERE flow_run_id IN (SELECT id FROM doomed_runs));
        DELETE FROM state_history WHERE run_id IN (SELECT id FROM doomed_runs);
        DELETE FROM concurrency_slots WHERE flow_run_id IN (SELECT id FROM doomed_runs);
        DELETE FROM task_runs WHERE flow_run_id IN (SELECT id FROM doomed_runs);
      `);
      const deleted = Number(this.db.prepare(`DELETE FROM flow_runs WHERE id IN (SELECT id FROM doomed_runs)`).run().changes);
      this.db.exec(`DELETE FROM doomed_runs`);
      return deleted;
    });
  }

  async deleteUnstartedDeploymentRuns(deploymentId: string, idempotencyKeyPrefix: string): Promise<string[]> {
    this.commitPending();
    return this.db.immediate(() => {
      const rows = this.db
        .prepare(
          `SELECT id FROM flow_runs WHERE deployment_id = ? AND state_type = 'SCHEDULED' AND run_count = 0
             AND substr(idempotency_key, 1, length(?)) = ?`,
        )
        .all(deploymentId, idempotencyKeyPrefix, idempotencyKeyPrefix) as { id: string }[];
      const ids = rows.map((row) => row.id);
      const deleteHistory = this.db.prepare(`DELETE FROM state_history WHERE run_id = ?`);
      const deleteRun = this.db.prepare(`DELETE FROM flow_runs WHERE id = ?`);
      for (const id of ids) {
        deleteHistory.run(id);
        deleteRun.run(id);
      }
      return ids;
    });
  }

  async createConcurrencyLimit(tag: string, limit: number, at: Date): Promise<void> {
    this.commitPending();
    this.statements.upsertLimit.run(tag, limit, at.toISOString());
  }

  async listConcurrencyLimits(): Promise<ConcurrencyLimit[]> {
    this.commitPending();
    const rows = this.statements.listLimits.all() as { tag: string; slot_limit: number; created_at: string; active: number }[];
    return rows.map((row) => ({ tag: row.tag, limit: row.slot_limit, active: row.active, createdAt: row.created_at }));
  }

  async deleteConcurrencyLimit(tag: string): Promise<boolean> {
    this.commitPending();
    return this.db.immediate(() => {
      this.statements.deleteSlotsOfTag.run(tag);
      return Number(this.statements.deleteLimit.run(tag).changes) > 0;
    });
  }

  async tryAcquireConcurrencySlots(tags: string[], taskRunId: string, flowRunId: string, at: Date): Promise<boolean> {
    this.commitPending();
    if (tags.length === 0) return true;
    return this.db.immediate(() => this.acquireSlotsInTransaction(tags, taskRunId, flowRunId, at));
  }

  /** The slots of {@link tryAcquireConcurrencySlots}, inside a transaction the caller holds. */
  private acquireSlotsInTransaction(tags: readonly string[], taskRunId: string, flowRunId: string, at: Date): boolean {
    const limited: string[] = [];
    for (const tag of new Set(tags)) {
      const limit = this.statements.getLimit.get(tag) as { slot_limit: number } | undefined;
      if (!limit) continue;
      const { active } = this.statements.countSlots.get(tag) as { active: number };
      if (active >= limit.slot_limit) return false;
      limited.push(tag);
    }
    const acquiredAt = at.toISOString();
    for (const tag of limited) this.statements.insertSlot.run(tag, taskRunId, flowRunId, acquiredAt);
    return true;
  }

  async claimDueRun(flowRunId: string, claim: DueRunClaim): Promise<DueRunClaimResult> {
    return (await this.claimDueRuns([{ flowRunId, claim }]))[0]!;
  }

  async claimDueRuns(claims: readonly { flowRunId: string; claim: DueRunClaim }[]): Promise<DueRunClaimResult[]> {
    this.commitPending();
    if (claims.length === 0) return [];
    // BEGIN IMMEDIATE takes the write lock first: processes on one file claim one after another.
    return this.db.immediate(() => claims.map(({ flowRunId, claim }) => this.claimInTransaction(flowRunId, claim)));
  }

  private claimInTransaction(flowRunId: string, claim: DueRunClaim): DueRunClaimResult {
    const row = this.statements.getFlowRun.get(flowRunId) as FlowRunRow | undefined;
    if (row === undefined || !DUE_STATE_NAMES.includes(row.state_name) || row.epoch !== claim.epoch) return "taken";
    if (claim.deploymentLimit !== undefined) {
      const { started } = this.statements.startedRunsOfDeployment.get(claim.deploymentLimit.deploymentId) as { started: number };
      if (started >= claim.deploymentLimit.limit) return "deployment-full";
    }
    if (claim.tags.length > 0 && !this.acquireSlotsInTransaction(claim.tags, flowRunId, flowRunId, claim.at)) return "tags-full";
    const at = claim.at.toISOString();
    this.statements.claimRun.run(at, at, claim.workerName, flowRunId);
    return "claimed";
  }

  async releaseConcurrencySlots(taskRunId: string): Promise<void> {
    this.commitPending();
    this.statements.releaseSlots.run(taskRunId);
  }

  /**
   * Runs asked for in one event-loop turn (a burst of `POST …/runs`, an automation's actions) are
   * created in one transaction, with what else is queued: one commit for all of them, not one each.
   */
  createDeploymentRun(run: FlowRunRecord & { deploymentId: string }, event?: TributaryEvent): Promise<{ run: FlowRunRecord; created: boolean }> {
    if (this.closed) return Promise.reject(new Error(`The store at ${this.location} is closed.`));
    return new Promise((resolve, reject) => {
      this.creations.push({ run, event, resolve, reject });
      if (this.creations.length === 1) setImmediate(() => this.createQueuedRuns());
    });
  }

  /** Creates the queued deployment runs, each answered `created: false` with the run an earlier one made under its idempotency key. */
  private createQueuedRuns(): void {
    const batch = this.creations.splice(0);
    if (batch.length === 0) return;
    let results: { run: FlowRunRecord; created: boolean }[];
    let refused: RefusedRun[] = [];
    try {
      if (this.closed) throw new Error(`The store at ${this.location} is closed.`);
      results = this.db.immediate(() => {
        refused = this.writePending();
        const byKey = new Map<string, FlowRunRecord>();
        const writes = new PendingWrites();
        const answers = batch.map(({ run, event }) => {
          const key = run.idempotencyKey === undefined ? undefined : `${run.deploymentId}\u0000${run.idempotencyKey}`;
          if (key !== undefined) {
            const earlier = byKey.get(key);
            if (earlier) return { run: { ...earlier }, created: false };
            const existing = this.statements.findByIdempotencyKey.get(run.deploymentId, run.idempotencyKey!) as FlowRunRow | undefined;
            if (existing) return { run: rowToFlowRun(existing), created: false };
            byKey.set(key, run);
          }
          writes.createFlowRun(run);
          if (event !== undefined) writes.appendEvent(event);
          return { run: { ...run }, created: true };
        });
        this.insertRows("flow_runs", FLOW_RUN_COLUMNS, [...writes.flowInserts.values()].flat());
        this.insertRows("state_history", HISTORY_COLUMNS, writes.history);
        this.insertRows("events", EVENT_COLUMNS, writes.events);
        return answers;
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    this.pending.clear();
    this.refusedRuns.report(refused);
    batch.forEach(({ resolve }, i) => resolve(results[i]!));
  }

  async listActiveFlowRuns(): Promise<FlowRunRecord[]> {
    this.commitPending();
    return (this.statements.activeRuns.all() as FlowRunRow[]).map(rowToFlowRun);
  }

  async recordHeartbeat(flowRunIds: readonly string[], at: Date): Promise<void> {
    this.commitPending();
    this.db.immediate(() => {
      for (const id of flowRunIds) this.statements.heartbeat.run(at.toISOString(), id);
    });
  }

  async saveWorker(worker: WorkerRecord): Promise<void> {
    this.commitPending();
    this.statements.saveWorker.run(worker.name, JSON.stringify(worker), worker.lastHeartbeat);
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    this.commitPending();
    return (this.statements.listWorkers.all() as { body: string }[]).map((row) => JSON.parse(row.body) as WorkerRecord);
  }

  async saveRegisteredGraph(graph: RegisteredGraph): Promise<void> {
    this.assertOpen(); // graphs are never queued: nothing to commit first
    this.statements.saveRegisteredGraph.run(graph.root, JSON.stringify(graph), graph.updatedAt);
  }

  async listRegisteredGraphs(): Promise<RegisteredGraph[]> {
    this.assertOpen();
    return (this.statements.listRegisteredGraphs.all() as { body: string }[]).map((row) => JSON.parse(row.body) as RegisteredGraph);
  }

  async listDeployments(): Promise<DeploymentRecord[]> {
    this.assertOpen();
    return (this.statements.listDeployments.all() as RecordRow[]).map(rowToDeployment);
  }

  async getDeployment(name: string): Promise<DeploymentRecord | undefined> {
    this.assertOpen(); // deployments are never queued: nothing to commit first
    const row = this.statements.getDeployment.get(name) as RecordRow | undefined;
    return row ? rowToDeployment(row) : undefined;
  }

  async getDeploymentById(id: string): Promise<DeploymentRecord | undefined> {
    this.assertOpen(); // deployments are never queued: nothing to commit first
    const row = this.statements.getDeploymentById.get(id) as RecordRow | undefined;
    return row ? rowToDeployment(row) : undefined;
  }

  async saveDeployment(deployment: DeploymentRecord): Promise<DeploymentRecord> {
    this.commitPending();
    return this.db.immediate(() => {
      const existing = this.statements.getDeployment.get(deployment.name) as RecordRow | undefined;
      const record = existing ? { ...deployment, id: existing.id, createdAt: existing.created_at } : deployment;
      this.statements.saveDeployment.run(record.id, record.name, JSON.stringify(record), record.paused ? 1 : 0, record.createdAt, record.updatedAt);
      return record;
    });
  }

  async listAutomations(): Promise<AutomationRecord[]> {
    this.commitPending();
    return (this.statements.listAutomations.all() as RecordRow[]).map(rowToAutomation);
  }

  async getAutomation(name: string): Promise<AutomationRecord | undefined> {
    this.commitPending();
    const row = this.statements.getAutomation.get(name) as RecordRow | undefined;
    return row ? rowToAutomation(row) : undefined;
  }

  async saveAutomation(automation: AutomationRecord): Promise<AutomationRecord> {
    this.commitPending();
    return this.db.immediate(() => {
      const existing = this.statements.getAutomation.get(automation.name) as RecordRow | undefined;
      const record = existing ? { ...automation, id: existing.id, createdAt: existing.created_at } : automation;
      this.statements.saveAutomation.run(record.id, record.name, JSON.stringify(record), record.enabled ? 1 : 0, record.createdAt, record.updatedAt);
      return record;
    });
  }

  appendEvent(event: TributaryEvent): void {
    this.pending.appendEvent(event);
    this.scheduleFlush();
  }

  async listEvents(filter: EventFilter = {}): Promise<TributaryEvent[]> {
    this.commitPending();
    const where: string[] = [];
    const params: SqliteValue[] = [];
    if (filter.event !== undefined) {
      where.push("event = ?");
      params.push(filter.event);
    }
    if (filter.resourceId !== undefined) {
      where.push("resource_id = ?");
      params.push(filter.resourceId);
    }
    const sql = `SELECT body FROM (SELECT seq, body FROM events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?) ORDER BY seq`;
    const rows = this.db.prepare(sql).all(...params, filter.limit ?? 100) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as TributaryEvent);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.createQueuedRuns();
    this.commitPending();
    this.closed = true;
    process.off("exit", this.flushOnExit);
    this.db.close();
  }

  private scheduleFlush(): void {
    if (this.pending.count >= MAX_BATCH) {
      this.commitPending();
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.closed) return;
      try {
        this.commitPending();
      } catch (error) {
        this.onBackgroundError(error as Error);
      }
    });
  }

  /** Commits every queued write in one transaction. On failure the writes stay queued. */
  private commitPending(): void {
    if (this.closed) throw new Error(`The store at ${this.location} is closed.`);
    if (this.pending.isEmpty) return;
    const refused = this.db.immediate(() => this.writePending());
    this.pending.clear();
    this.refusedRuns.report(refused);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The store at ${this.location} is closed.`);
  }

  /**
   * Writes the queued writes inside the caller's transaction; the caller clears them once it has
   * committed, and reports the runs whose fenced writes were refused (answered here).
   */
  private writePending(): RefusedRun[] {
    const pending = this.pending;
    if (pending.isEmpty) return [];
    const { updateFlowRun, updateTaskRun, upsertCache } = this.statements;
    /** Runs (flow or task) whose fenced patch did not apply, and the fences refused. */
    const refusedIds = new Set<string>();
    const refusedFences = new Map<string, RunFence>();
    const refuse = (id: string, fence: RunFence) => {
      refusedIds.add(id);
      refusedFences.set(`${fence.epoch}:${fence.flowRunId}`, fence);
    };
    {
      this.insertRows("flow_runs", FLOW_RUN_COLUMNS, [...pending.flowInserts.values()].flat());
      this.insertRows("task_runs", TASK_RUN_COLUMNS, [...pending.taskInserts.values()].flat());
      // Task runs before flow runs: a task's fence is its flow run as the batch found it, not as the
      // batch's own final state of that flow run left it.
      for (const [id, patch] of pending.taskPatches) {
        const fence = pending.taskFences.get(id);
        const params = { ...patchParams(id, patch), attempts: patch.attempts ?? null };
        if (fence === undefined) updateTaskRun.run(params);
        else if (Number(this.statements.updateTaskRunFenced.run({ ...params, fence_run: fence.flowRunId, fence_epoch: fence.epoch }).changes) === 0) refuse(id, fence);
      }
      for (const [id, patch] of pending.flowPatches) {
        const fence = pending.flowFences.get(id);
        const params = {
          ...patchParams(id, patch),
          run_count: patch.runCount ?? null,
          pid: patch.pid ?? null,
          host: patch.host ?? null,
          process_start_time: patch.processStartTime ?? null,
          retry_budget: patch.retryBudget === undefined ? null : JSON.stringify(patch.retryBudget),
        };
        if (fence === undefined) updateFlowRun.run(params);
        else if (Number(this.statements.updateFlowRunFenced.run({ ...params, fence_epoch: fence.epoch }).changes) === 0) refuse(id, fence);
      }
      this.insertRows("state_history", HISTORY_COLUMNS, refusedIds.size === 0 ? pending.history : historyWithout(pending.history, refusedIds));
      this.insertRows("logs", LOG_COLUMNS, pending.logs);
      this.insertRows("events", EVENT_COLUMNS, pending.events);
      for (const entry of pending.cache) {
        upsertCache.run(entry.key, JSON.stringify(entry.result), entry.expiresAt ?? null, entry.taskRunId);
      }
    }
    return [...refusedFences.values()].map((fence) => {
      const row = this.statements.getFlowRun.get(fence.flowRunId) as FlowRunRow | undefined;
      return { ...fence, ...(row !== undefined ? { current: { state: rowToFlowRun(row).state, epoch: row.epoch } } : {}) };
    });
  }

  /** Inserts rows given as one flat list of values, many rows a statement. */
  private insertRows(table: string, columns: readonly string[], values: readonly unknown[]): void {
    const width = columns.length;
    const rowsPerStatement = Math.max(1, Math.floor(MAX_VARIABLES / width));
    const total = values.length / width;
    for (let start = 0; start < total; start += rowsPerStatement) {
      const count = Math.min(rowsPerStatement, total - start);
      const key = `${table}:${count}`;
      let statement = this.chunkedInserts.get(key);
      if (!statement) {
        const tuple = `(${columns.map(() => "?").join(",")})`;
        statement = this.db.prepare(`INSERT INTO ${table} (${columns.join(",")}) VALUES ${Array(count).fill(tuple).join(",")}`);
        this.chunkedInserts.set(key, statement);
      }
      statement.run(...(values.slice(start * width, (start + count) * width) as SqliteValue[]));
    }
  }
}

/** Opens (creating and migrating as needed) the store in one SQLite file. */
export function openSqliteStore(filePath: string, options?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(filePath, options);
}

/**
 * Sets WAL mode, retrying for up to 10 s while another connection is in the way. The switch needs
 * an exclusive lock, and SQLite answers SQLITE_BUSY at once instead of calling the busy handler
 * when waiting could deadlock (another opener holds a shared lock and wants more), which happens
 * when many processes open a brand-new file together.
 */
function switchToWal(db: SqliteConnection): void {
  const until = Date.now() + 10_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() > until) throw error;
      // The constructor is synchronous, as SQLite's own busy handler is: wait 5-15 ms, then retry.
      Atomics.wait(pause, 0, 0, 5 + Math.random() * 10);
    }
  }
}

/** Deployments and automations are kept as one JSON body; name and flags sit in columns for lookups. */
interface RecordRow {
  id: string;
  name: string;
  body: string;
  created_at: string;
}

function rowToDeployment(row: RecordRow): DeploymentRecord {
  const record = JSON.parse(row.body) as DeploymentRecord & { paused?: boolean };
  return { ...record, paused: (row as RecordRow & { paused: number }).paused === 1 };
}

function rowToAutomation(row: RecordRow): AutomationRecord {
  const record = JSON.parse(row.body) as AutomationRecord;
  return { ...record, enabled: (row as RecordRow & { enabled: number }).enabled === 1 };
}

function patchParams(id: string, patch: RunPatch) {
  return {
    id,
    state_type: patch.state?.type ?? null,
    state_name: patch.state?.name ?? null,
    state_message: patch.state?.message ?? null,
    state_timestamp: patch.state?.timestamp ?? null,
    result: patch.result === undefined ? null : JSON.stringify(patch.result),
    start_time: patch.startTime ?? null,
    end_time: patch.endTime ?? null,
  };
}

function prepareStatements(db: SqliteConnection) {
  const stateSet = `state_type = coalesce(@state_type, state_type),
    state_name = coalesce(@state_name, state_name),
    state_message = CASE WHEN @state_type IS NULL THEN state_message ELSE @state_message END,
    state_timestamp = coalesce(@state_timestamp, state_timestamp),
    result = coalesce(@result, result),
    start_time = coalesce(@start_time, start_time),
    end_time = coalesce(@end_time, end_time)`;
  return {
    updateFlowRun: db.prepare(
      `UPDATE flow_runs SET ${stateSet}, run_count = coalesce(@run_count, run_count), pid = coalesce(@pid, pid),
       host = coalesce(@host, host), process_start_time = coalesce(@process_start_time, process_start_time),
       retry_budget = coalesce(@retry_budget, retry_budget) WHERE id = @id`,
    ),
    updateTaskRun: db.prepare(
      `UPDATE task_runs SET ${stateSet}, attempts = coalesce(@attempts, attempts) WHERE id = @id`,
    ),
    // The writes of a run's process (RunFence): only while the run is that execution's and not final.
    updateFlowRunFenced: db.prepare(
      `UPDATE flow_runs SET ${stateSet}, run_count = coalesce(@run_count, run_count), pid = coalesce(@pid, pid),
       host = coalesce(@host, host), process_start_time = coalesce(@process_start_time, process_start_time),
       retry_budget = coalesce(@retry_budget, retry_budget) WHERE id = @id AND epoch = @fence_epoch AND ${NOT_FINAL}`,
    ),
    updateTaskRunFenced: db.prepare(
      `UPDATE task_runs SET ${stateSet}, attempts = coalesce(@attempts, attempts)
       WHERE id = @id AND EXISTS (SELECT 1 FROM flow_runs WHERE id = @fence_run AND epoch = @fence_epoch AND ${NOT_FINAL})`,
    ),
    raiseEpoch: db.prepare(`UPDATE flow_runs SET epoch = epoch + 1 WHERE id = ?`),
    insertHistory: db.prepare(`INSERT INTO state_history (run_id, type, name, message, timestamp) VALUES (?, ?, ?, ?, ?)`),
    upsertCache: db.prepare(
      `INSERT INTO task_cache (key, result, expires_at, task_run_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET result = excluded.result, expires_at = excluded.expires_at, task_run_id = excluded.task_run_id`,
    ),
    getFlowRun: db.prepare(`SELECT * FROM flow_runs WHERE id = ?`),
    findByIdempotencyKey: db.prepare(`SELECT * FROM flow_runs WHERE deployment_id = ? AND idempotency_key = ?`),
    activeRuns: db.prepare(
      `SELECT * FROM flow_runs WHERE state_type IN ('SCHEDULED', 'PENDING', 'RUNNING', 'CANCELLING', 'PAUSED')
       ORDER BY coalesce(expected_start_time, created_at), seq`,
    ),
    heartbeat: db.prepare(`UPDATE flow_runs SET heartbeat = ? WHERE id = ?`),
    startedRunsOfDeployment: db.prepare(
      `SELECT count(*) AS started FROM flow_runs WHERE deployment_id = ? AND state_type IN ('PENDING', 'RUNNING', 'CANCELLING', 'PAUSED')`,
    ),
    claimRun: db.prepare(
      `UPDATE flow_runs SET state_type = 'PENDING', state_name = 'Pending', state_message = NULL, state_timestamp = ?, heartbeat = ?,
         pid = NULL, host = NULL, process_start_time = NULL, worker_name = ? WHERE id = ?`,
    ),
    listDeployments: db.prepare(`SELECT * FROM deployments ORDER BY name`),
    getDeployment: db.prepare(`SELECT * FROM deployments WHERE name = ?`),
    getDeploymentById: db.prepare(`SELECT * FROM deployments WHERE id = ?`),
    saveDeployment: db.prepare(
      `INSERT INTO deployments (id, name, body, paused, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET body = excluded.body, paused = excluded.paused, updated_at = excluded.updated_at`,
    ),
    listAutomations: db.prepare(`SELECT * FROM automations ORDER BY name`),
    getAutomation: db.prepare(`SELECT * FROM automations WHERE name = ?`),
    saveAutomation: db.prepare(
      `INSERT INTO automations (id, name, body, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET body = excluded.body, enabled = excluded.enabled, updated_at = excluded.updated_at`,
    ),
    findByPrefix: db.prepare(`SELECT * FROM flow_runs WHERE id LIKE ? ESCAPE '\\' ORDER BY seq DESC LIMIT ?`),
    findByChain: db.prepare(`SELECT * FROM flow_runs WHERE chain LIKE ? ESCAPE '\\' AND id <> ? ORDER BY seq LIMIT ?`),
    findByName: db.prepare(`SELECT * FROM flow_runs WHERE name = ? ORDER BY seq DESC LIMIT ?`),
    getTaskRuns: db.prepare(`SELECT * FROM task_runs WHERE flow_run_id = ? ORDER BY seq`),
    getTaskRun: db.prepare(`SELECT * FROM task_runs WHERE id = ?`),
    getSubflowRuns: db.prepare(`SELECT * FROM flow_runs WHERE parent_flow_run_id = ? ORDER BY seq`),
    getStateHistory: db.prepare(`SELECT * FROM state_history WHERE run_id = ? ORDER BY id`),
    getLogs: db.prepare(`SELECT * FROM logs WHERE flow_run_id = ? AND id > ? ORDER BY id LIMIT ?`),
    readCache: db.prepare(`SELECT * FROM task_cache WHERE key = ?`),
    descendantRuns: db.prepare(
      `WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT f.id FROM flow_runs f JOIN tree ON f.parent_flow_run_id = tree.id)
       SELECT flow_runs.* FROM flow_runs JOIN tree ON flow_runs.id = tree.id`,
    ),
    rescheduleFlowRun: db.prepare(
      `UPDATE flow_runs SET state_type = @type, state_name = @name, state_message = @message, state_timestamp = @timestamp,
       expected_start_time = @start, retry_budget = @budget, epoch = epoch + 1 WHERE id = @id`,
    ),
    endFlowRun: db.prepare(
      `UPDATE flow_runs SET state_type = @type, state_name = @name, state_message = @message, state_timestamp = @timestamp,
       end_time = coalesce(end_time, @timestamp) WHERE id = @id`,
    ),
    endTaskRun: db.prepare(
      `UPDATE task_runs SET state_type = @type, state_name = @name, state_message = @message, state_timestamp = @timestamp,
       end_time = coalesce(end_time, @timestamp) WHERE id = @id`,
    ),
    saveWorker: db.prepare(`INSERT INTO workers (name, body, last_heartbeat) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body, last_heartbeat = excluded.last_heartbeat`),
    listWorkers: db.prepare(`SELECT body FROM workers ORDER BY last_heartbeat DESC, name`),
    saveRegisteredGraph: db.prepare(`INSERT INTO registered_graphs (root, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (root) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`),
    listRegisteredGraphs: db.prepare(`SELECT body FROM registered_graphs ORDER BY root`),
    upsertLimit: db.prepare(
      `INSERT INTO concurrency_limits (tag, slot_limit, created_at) VALUES (?, ?, ?)
       ON CONFLICT (tag) DO UPDATE SET slot_limit = excluded.slot_limit`,
    ),
    listLimits: db.prepare(
      `SELECT l.tag, l.slot_limit, l.created_at, (SELECT count(*) FROM concurrency_slots s WHERE s.tag = l.tag) AS active
       FROM concurrency_limits l ORDER BY l.tag`,
    ),
    getLimit: db.prepare(`SELECT slot_limit FROM concurrency_limits WHERE tag = ?`),
    countSlots: db.prepare(`SELECT count(*) AS active FROM concurrency_slots WHERE tag = ?`),
    insertSlot: db.prepare(`INSERT OR IGNORE INTO concurrency_slots (tag, task_run_id, flow_run_id, acquired_at) VALUES (?, ?, ?, ?)`),
    releaseSlots: db.prepare(`DELETE FROM concurrency_slots WHERE task_run_id = ?`),
    deleteSlotsOfTag: db.prepare(`DELETE FROM concurrency_slots WHERE tag = ?`),
    deleteLimit: db.prepare(`DELETE FROM concurrency_limits WHERE tag = ?`),
  };
}
