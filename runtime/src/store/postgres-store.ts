/**
 * The store on PostgreSQL (`TRIBUTARY_DATABASE_URL=postgres://…`), through node-postgres (`pg`).
 *
 * Writes are queued as in the SQLite store (pending-writes.ts) and committed in groups: while one
 * batch is in flight the next gathers, so a flow of sequential tasks does not pay a round trip per
 * task. A batch is ONE statement — data-modifying CTEs over `unnest` of one array per column — so
 * it costs one round trip, commits atomically on its own (autocommit), and its text depends only
 * on which kinds of rows it holds, not on how many. Within a batch a run is created and changed
 * in one row (pending-writes.ts), so no part of the statement touches a row another part writes.
 * `flush()` resolves when what was queued before it is committed (synchronous_commit: durable).
 *
 * Guarded changes (a transition only from a given state, concurrency slots, idempotent deployment
 * runs) are single conditional statements or transactions that lock the rows they decide on, so
 * several servers on one database cannot both win.
 */
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { isFinal, makeState, type State, type StateType } from "../states.js";
import type { AutomationRecord, DeploymentRecord, RegisteredGraph, TributaryEvent, WorkerRecord } from "../orchestrator/contract.js";
import { EVENT_COLUMNS, FLOW_RUN_COLUMNS, HISTORY_COLUMNS, LOG_COLUMNS, PendingWrites, TASK_RUN_COLUMNS } from "./pending-writes.js";
import { RefusedRuns } from "./refused-runs.js";
import { maskDatabaseUrl } from "./database-url.js";
import { migratePostgres, quoteIdentifier } from "./postgres-migrations.js";
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
  stateOf,
  type FlowRunRow,
  type LogRow,
  type StateHistoryRow,
  type TaskRunRow,
} from "./sqlite-rows.js";
import { DUE_STATE_NAMES } from "./due-runs.js";
import type { AbandonedRunEnding, DueRunClaim, DueRunClaimResult, EventFilter, Store, TransitionOptions } from "./store.js";

/** A flow run's state is not final (states.ts, FINAL_STATE_TYPES); `state_type` of the table named before it. */
const NOT_FINAL = "state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')";

/** A batch larger than this is sent at once rather than left to gather. */
const MAX_BATCH = 2048;

export interface PostgresStoreOptions {
  /**
   * The schema the store's tables live in; created when missing. Several stores (a test per
   * schema, a team per schema) can share one database.
   * @default "public"
   * @example openPostgresStore(url, { schema: "tributary" })
   */
  schema?: string;
  /**
   * Connections kept open: one carries the batch in flight, the others reads and guarded changes.
   * @default 4
   */
  maxConnections?: number;
  /** Called when a commit that nobody awaits fails (a background flush). Defaults to printing to stderr. */
  onBackgroundError?: (error: Error) => void;
}

// SQL types of each column, in the order of pending-writes.ts, for `unnest($n::type[])`.
const FLOW_RUN_TYPES: Record<(typeof FLOW_RUN_COLUMNS)[number], string> = {
  id: "text", name: "text", flow_name: "text", flow_version: "text", parent_flow_run_id: "text", parent_task_run_id: "text",
  deployment_id: "text", entrypoint: "text", state_type: "text", state_name: "text", state_message: "text", state_timestamp: "text",
  parameters: "text", result: "text", tags: "text", run_count: "int4", created_at: "text", start_time: "text", end_time: "text",
  pid: "int4", idempotency_key: "text", expected_start_time: "text", chain: "text", host: "text", process_start_time: "int8",
  retry_budget: "text", worker_name: "text",
};
const TASK_RUN_TYPES: Record<(typeof TASK_RUN_COLUMNS)[number], string> = {
  id: "text", flow_run_id: "text", name: "text", task_name: "text", state_type: "text", state_name: "text", state_message: "text",
  state_timestamp: "text", attempts: "int4", map_index: "int4", tags: "text", upstream_task_run_ids: "text", cache_key: "text",
  result: "text", created_at: "text", start_time: "text", end_time: "text",
};
const HISTORY_TYPES = HISTORY_COLUMNS.map(() => "text");
const LOG_TYPES = LOG_COLUMNS.map(() => "text");
const EVENT_TYPES = EVENT_COLUMNS.map(() => "text");

/** The columns a patch sets, with their types; `coalesce` keeps what a patch leaves out. */
const FLOW_PATCH = [
  ["state_type", "text"], ["state_name", "text"], ["state_message", "text"], ["state_timestamp", "text"], ["result", "text"],
  ["start_time", "text"], ["end_time", "text"], ["run_count", "int4"], ["pid", "int4"], ["host", "text"], ["process_start_time", "int8"],
  ["retry_budget", "text"],
] as const;
const TASK_PATCH = [
  ["state_type", "text"], ["state_name", "text"], ["state_message", "text"], ["state_timestamp", "text"], ["result", "text"],
  ["start_time", "text"], ["end_time", "text"], ["attempts", "int4"],
] as const;

/**
 * A NOTIFY payload holds at most 8000 bytes: an event whose payload would be longer is announced
 * by its seq alone, and a listener reads it from the events table.
 */
const MAX_NOTIFY_EVENT_BYTES = 7800;

/** A stored event with its place in the events table (`seq`, growing with each insert). */
export interface SequencedEvent {
  seq: number;
  event: TributaryEvent;
}

/**
 * What a store NOTIFYs on its {@link PostgresStore.eventChannel} for every event it commits, in the
 * same transaction (so a listener hears of it only once it can be read): `o`, the id of the store
 * that wrote it ({@link PostgresStore.instanceId}: a server skips its own), `s`, its seq, and `e`,
 * the event itself when it is small enough.
 */
export interface EventNotice {
  o: string;
  s: number;
  e?: TributaryEvent;
}

/**
 * A connection of its own, outside the store's pool, for what lives as long as a session: a LISTEN
 * (event-relay.ts), a session advisory lock (leader-lock.ts). Made by {@link PostgresStore.connect},
 * so that the pg driver stays in the store's bundle.
 */
export interface DedicatedConnection {
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** LISTENs on `channel`; `listener` gets each payload NOTIFYd on it. */
  listen(channel: string, listener: (payload: string) => void): Promise<void>;
  /** `listener` is called once when the connection fails or is ended by the server. */
  onLost(listener: () => void): void;
  close(): Promise<void>;
}

export class PostgresStore implements Store {
  readonly location: string;
  readonly databaseUrl: string;
  /** The schema the tables live in. */
  readonly schema: string;
  /** This store's id in the NOTIFYs of its events (EventNotice.o). */
  readonly instanceId = randomUUID();
  /** The channel every store on this schema NOTIFYs its committed events on (EventNotice). */
  readonly eventChannel: string;
  /** The channel the processes on this schema send their broadcast (not stored) events on (event-relay.ts). */
  readonly liveChannel: string;
  private readonly pool: pg.Pool;
  private pending = new PendingWrites();
  private readonly refusedRuns = new RefusedRuns();
  /** Batches whose commit failed, committed before anything newer. */
  private readonly failed: PendingWrites[] = [];
  private draining: Promise<void> | undefined;
  private flushScheduled = false;
  private closed = false;
  private readonly onBackgroundError: (error: Error) => void;

  private constructor(pool: pg.Pool, url: string, location: string, options: PostgresStoreOptions) {
    this.pool = pool;
    this.schema = options.schema ?? "public";
    this.eventChannel = eventChannelOf(this.schema);
    this.liveChannel = eventChannelOf(this.schema, "live");
    this.databaseUrl = url;
    this.location = location;
    this.onBackgroundError =
      options.onBackgroundError ?? ((error) => process.stderr.write(`tributary: could not write to the store at ${location}: ${error.message}\n`));
  }

  /** Connects, creates and migrates the schema as needed; throws when the database cannot be reached. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const location = maskDatabaseUrl(url);
    const schema = options.schema ?? "public";
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 4,
      // A host that does not answer (a firewall dropping packets) fails the open instead of hanging.
      connectionTimeoutMillis: 10_000,
      options: `-c search_path=${quoteIdentifier(schema).replace(/ /g, "\\ ")}`,
      // bigint (counts, process start times) as numbers: every value stored here fits in 2^53.
      types: { getTypeParser: ((oid: number, format?: string) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as "text"))) as never },
    });
    // An idle connection the server drops must not crash the process; the next query reconnects.
    pool.on("error", () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, schema, location);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresStore(pool, url, location, options);
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

  appendEvent(event: TributaryEvent): void {
    this.pending.appendEvent(event);
    this.scheduleFlush();
  }

  /** Resolves when every write queued before the call is committed; rejects when a commit fails (the writes stay queued). */
  flush(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`The store at ${this.location} is closed.`));
    // A batch in flight may have been cut before the latest writes: wait for it, then send the rest.
    if (this.draining !== undefined) return this.draining.then(() => this.flush());
    if (this.pending.isEmpty && this.failed.length === 0) return Promise.resolve();
    const draining = this.drain().finally(() => {
      this.draining = undefined;
    });
    this.draining = draining;
    return draining;
  }

  async getFlowRun(id: string): Promise<FlowRunRecord | undefined> {
    const row = await this.one<FlowRunRow>(`SELECT * FROM flow_runs WHERE id = $1`, [id]);
    return row ? rowToFlowRun(row) : undefined;
  }

  async transitionFlowRunIf(id: string, fromType: StateType, state: State, options: TransitionOptions = {}): Promise<boolean> {
    // One statement: the row lock the UPDATE takes makes a racing one wait and then see the new state.
    const rows = await this.rows(
      `WITH moved AS (
         UPDATE flow_runs SET state_type = $3, state_name = $4, state_message = $5, state_timestamp = $6, epoch = epoch + $7
         WHERE id = $1 AND state_type = $2 RETURNING id)
       INSERT INTO state_history (run_id, type, name, message, timestamp) SELECT id, $3, $4, $5, $6 FROM moved RETURNING run_id`,
      [id, fromType, state.type, state.name, state.message ?? null, state.timestamp, options.newEpoch === true ? 1 : 0],
    );
    return rows.length > 0;
  }

  async findFlowRunsByIdPrefix(prefix: string, limit = 10): Promise<FlowRunRecord[]> {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    return (await this.rows<FlowRunRow>(`SELECT * FROM flow_runs WHERE id LIKE $1 ESCAPE '\\' ORDER BY seq DESC LIMIT $2`, [`${escaped}%`, limit])).map(rowToFlowRun);
  }

  async findFlowRunsByName(name: string, limit = 10): Promise<FlowRunRecord[]> {
    return (await this.rows<FlowRunRow>(`SELECT * FROM flow_runs WHERE name = $1 ORDER BY seq DESC LIMIT $2`, [name, limit])).map(rowToFlowRun);
  }

  async listFlowRunsCausedBy(flowRunId: string, limit = 1_000): Promise<FlowRunRecord[]> {
    // As in the SQLite store: LIKE narrows the rows (only `flow-run inspect` asks), the parsed chain decides.
    const escaped = JSON.stringify(flowRunId).replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = await this.rows<FlowRunRow>(`SELECT * FROM flow_runs WHERE chain LIKE $1 ESCAPE '\\' AND id <> $2 ORDER BY seq LIMIT $3`, [
      `%"id":${escaped}%`,
      flowRunId,
      limit,
    ]);
    return rows.map(rowToFlowRun).filter((run) => (run.chain ?? []).some((link) => link.kind === "flow-run" && link.id === flowRunId));
  }

  async listFlowRuns(filter: FlowRunFilter = {}): Promise<FlowRunRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.flowName !== undefined) where.push(`flow_name = ${param(filter.flowName)}`);
    if (filter.state !== undefined) where.push(`${/^[A-Z]+$/.test(filter.state) ? "state_type" : "state_name"} = ${param(filter.state)}`);
    if (filter.deploymentId !== undefined) where.push(`deployment_id = ${param(filter.deploymentId)}`);
    if (filter.workerName !== undefined) where.push(`worker_name = ${param(filter.workerName)}`);
    if (filter.parentFlowRunId === null) where.push("parent_flow_run_id IS NULL");
    else if (filter.parentFlowRunId !== undefined) where.push(`parent_flow_run_id = ${param(filter.parentFlowRunId)}`);
    if (filter.before !== undefined) where.push(`seq < (SELECT seq FROM flow_runs WHERE id = ${param(filter.before)})`);
    // Tags are a JSON array of strings: jsonb's ?& and ?| test membership.
    if (filter.tags !== undefined && filter.tags.length > 0) where.push(`tags::jsonb ?& ${param(filter.tags)}::text[]`);
    if (filter.anyTags !== undefined) where.push(`tags::jsonb ?| ${param(filter.anyTags)}::text[]`);
    if (filter.startedAfter !== undefined) where.push(`start_time >= ${param(filter.startedAfter)}`);
    if (filter.startedBefore !== undefined) where.push(`start_time <= ${param(filter.startedBefore)}`);
    const order = filter.sort === "created-asc" ? "ASC" : "DESC";
    const sql = `SELECT * FROM flow_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${order} LIMIT ${param(filter.limit ?? 100)}`;
    return (await this.rows<FlowRunRow>(sql, params)).map(rowToFlowRun);
  }

  async getTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    return (await this.rows<TaskRunRow>(`SELECT * FROM task_runs WHERE flow_run_id = $1 ORDER BY seq`, [flowRunId])).map(rowToTaskRun);
  }

  async getTaskRun(id: string): Promise<TaskRunRecord | undefined> {
    const row = await this.one<TaskRunRow>(`SELECT * FROM task_runs WHERE id = $1`, [id]);
    return row ? rowToTaskRun(row) : undefined;
  }

  async getSubflowRuns(parentFlowRunId: string): Promise<FlowRunRecord[]> {
    return (await this.rows<FlowRunRow>(`SELECT * FROM flow_runs WHERE parent_flow_run_id = $1 ORDER BY seq`, [parentFlowRunId])).map(rowToFlowRun);
  }

  async flowRunsWithChildren(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.rows<{ id: string }>(
      `SELECT id FROM flow_runs AS f WHERE id = ANY($1::text[]) AND (EXISTS (SELECT 1 FROM task_runs WHERE flow_run_id = f.id) OR EXISTS (SELECT 1 FROM flow_runs AS c WHERE c.parent_flow_run_id = f.id))`,
      [[...ids]],
    );
    return new Set(rows.map((row) => row.id));
  }

  async getStateHistory(runId: string): Promise<StateHistoryEntry[]> {
    return (await this.rows<StateHistoryRow>(`SELECT * FROM state_history WHERE run_id = $1 ORDER BY id`, [runId])).map(rowToStateHistory);
  }

  async getLogs(flowRunId: string, options: { afterId?: number; limit?: number } = {}): Promise<StoredLogRecord[]> {
    const rows = await this.rows<LogRow>(`SELECT * FROM logs WHERE flow_run_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [
      flowRunId,
      options.afterId ?? 0,
      options.limit ?? null,
    ]);
    return rows.map(rowToLog);
  }

  async readCache(key: string, now: Date): Promise<CacheEntry | undefined> {
    const row = await this.one<{ key: string; result: string; expires_at: string | null; task_run_id: string }>(`SELECT * FROM task_cache WHERE key = $1`, [key]);
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
    const retry = ending.retry;
    const own = retry === undefined ? makeState(ending.state, at, ending.message) : makeState("Scheduled", at, retry.message);
    const under = makeState(ending.state === "Crashed" ? "Crashed" : "Cancelled", at, ending.message);
    await this.transaction(async (client) => {
      const runs = (
        await client.query<FlowRunRow>(
          `WITH RECURSIVE tree(id) AS (SELECT $1::text UNION ALL SELECT f.id FROM flow_runs f JOIN tree ON f.parent_flow_run_id = tree.id)
           SELECT flow_runs.* FROM flow_runs JOIN tree ON flow_runs.id = tree.id FOR UPDATE OF flow_runs`,
          [flowRunId],
        )
      ).rows;
      if (retry !== undefined && runs.find((run) => run.id === flowRunId)?.state_timestamp !== retry.seenStateAt) return;
      for (const run of runs) {
        const state = run.id === flowRunId ? own : under;
        if (isFinal({ type: run.state_type as never })) {
          // Final already: left alone.
        } else if (run.id === flowRunId && retry !== undefined) {
          await client.query(
            `UPDATE flow_runs SET state_type = $2, state_name = $3, state_message = $4, state_timestamp = $5,
             expected_start_time = $6, retry_budget = $7, epoch = epoch + 1 WHERE id = $1`,
            [run.id, state.type, state.name, state.message ?? null, state.timestamp, retry.startAt.toISOString(), JSON.stringify(retry.budget)],
          );
          await insertHistory(client, run.id, state);
        } else await endRun(client, "flow_runs", run.id, state);
        const tasks = (await client.query<TaskRunRow>(`SELECT id, state_type FROM task_runs WHERE flow_run_id = $1 ORDER BY seq FOR UPDATE`, [run.id])).rows;
        for (const task of tasks) {
          if (isFinal({ type: task.state_type as never })) continue;
          await endRun(client, "task_runs", task.id, under);
          await client.query(`DELETE FROM concurrency_slots WHERE task_run_id = $1`, [task.id]);
        }
      }
    });
  }

  async deleteFinishedFlowRuns(): Promise<number> {
    return this.transaction(async (client) => {
      const ids = (
        await client.query<{ id: string }>(`SELECT id FROM flow_runs WHERE state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED') FOR UPDATE`)
      ).rows.map((row) => row.id);
      if (ids.length === 0) return 0;
      await client.query(`DELETE FROM logs WHERE flow_run_id = ANY($1)`, [ids]);
      await client.query(`DELETE FROM state_history WHERE run_id IN (SELECT id FROM task_runs WHERE flow_run_id = ANY($1))`, [ids]);
      await client.query(`DELETE FROM state_history WHERE run_id = ANY($1)`, [ids]);
      await client.query(`DELETE FROM concurrency_slots WHERE flow_run_id = ANY($1)`, [ids]);
      await client.query(`DELETE FROM task_runs WHERE flow_run_id = ANY($1)`, [ids]);
      return (await client.query(`DELETE FROM flow_runs WHERE id = ANY($1)`, [ids])).rowCount ?? 0;
    });
  }

  async deleteUnstartedDeploymentRuns(deploymentId: string, idempotencyKeyPrefix: string): Promise<string[]> {
    return this.transaction(async (client) => {
      const ids = (
        await client.query<{ id: string }>(
          `DELETE FROM flow_runs WHERE deployment_id = $1 AND state_type = 'SCHEDULED' AND run_count = 0
             AND starts_with(idempotency_key, $2) RETURNING id, seq`,
          [deploymentId, idempotencyKeyPrefix],
        )
      ).rows.map((row) => row.id);
      if (ids.length > 0) await client.query(`DELETE FROM state_history WHERE run_id = ANY($1)`, [ids]);
      return ids;
    });
  }

  async createConcurrencyLimit(tag: string, limit: number, at: Date): Promise<void> {
    await this.rows(
      `INSERT INTO concurrency_limits (tag, slot_limit, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (tag) DO UPDATE SET slot_limit = excluded.slot_limit`,
      [tag, limit, at.toISOString()],
    );
  }

  async listConcurrencyLimits(): Promise<ConcurrencyLimit[]> {
    const rows = await this.rows<{ tag: string; slot_limit: number; created_at: string; active: number }>(
      `SELECT l.tag, l.slot_limit, l.created_at, (SELECT count(*) FROM concurrency_slots s WHERE s.tag = l.tag) AS active
       FROM concurrency_limits l ORDER BY l.tag`,
    );
    return rows.map((row) => ({ tag: row.tag, limit: row.slot_limit, active: row.active, createdAt: row.created_at }));
  }

  async deleteConcurrencyLimit(tag: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query(`DELETE FROM concurrency_slots WHERE tag = $1`, [tag]);
      return ((await client.query(`DELETE FROM concurrency_limits WHERE tag = $1`, [tag])).rowCount ?? 0) > 0;
    });
  }

  async tryAcquireConcurrencySlots(tags: string[], taskRunId: string, flowRunId: string, at: Date): Promise<boolean> {
    if (tags.length === 0) return true;
    return this.transaction((client) => acquireSlots(client, tags, taskRunId, flowRunId, at));
  }

  async claimDueRun(flowRunId: string, claim: DueRunClaim): Promise<DueRunClaimResult> {
    return this.transaction(async (client): Promise<DueRunClaimResult> => {
      // The run's row first: a second claimer waits here, then sees it Pending and goes.
      const row = (await client.query<{ state_name: string; epoch: number }>(`SELECT state_name, epoch FROM flow_runs WHERE id = $1 FOR UPDATE`, [flowRunId])).rows[0];
      if (row === undefined || !DUE_STATE_NAMES.includes(row.state_name) || row.epoch !== claim.epoch) return "taken";
      if (claim.deploymentLimit !== undefined) {
        // The deployment's row serialises the claimers of its runs; the count (a statement after the
        // lock, so under READ COMMITTED it sees the claim committed before ours) is of the store.
        await client.query(`SELECT 1 FROM deployments WHERE id = $1 FOR UPDATE`, [claim.deploymentLimit.deploymentId]);
        const { started } = (
          await client.query<{ started: number }>(
            `SELECT count(*) AS started FROM flow_runs WHERE deployment_id = $1 AND state_type IN ('PENDING', 'RUNNING', 'CANCELLING', 'PAUSED')`,
            [claim.deploymentLimit.deploymentId],
          )
        ).rows[0]!;
        if (started >= claim.deploymentLimit.limit) return "deployment-full";
      }
      if (claim.tags.length > 0 && !(await acquireSlots(client, claim.tags, flowRunId, flowRunId, claim.at))) {
        return "tags-full";
      }
      const at = claim.at.toISOString();
      await client.query(
        `UPDATE flow_runs SET state_type = 'PENDING', state_name = 'Pending', state_message = NULL, state_timestamp = $2, heartbeat = $2,
           pid = NULL, host = NULL, process_start_time = NULL, worker_name = $3 WHERE id = $1`,
        [flowRunId, at, claim.workerName],
      );
      return "claimed";
    });
  }

  async claimDueRuns(claims: readonly { flowRunId: string; claim: DueRunClaim }[]): Promise<DueRunClaimResult[]> {
    const results: DueRunClaimResult[] = [];
    for (const { flowRunId, claim } of claims) results.push(await this.claimDueRun(flowRunId, claim));
    return results;
  }

  async releaseConcurrencySlots(taskRunId: string): Promise<void> {
    await this.rows(`DELETE FROM concurrency_slots WHERE task_run_id = $1`, [taskRunId]);
  }

  async createDeploymentRun(run: FlowRunRecord & { deploymentId: string }, event?: TributaryEvent): Promise<{ run: FlowRunRecord; created: boolean }> {
    const writes = new PendingWrites();
    writes.createFlowRun(run);
    const row = [...writes.flowInserts.values()][0]!;
    const result = await this.transaction(async (client) => {
      const inserted = await client.query(
        `INSERT INTO flow_runs (${FLOW_RUN_COLUMNS.join(", ")}) VALUES (${FLOW_RUN_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
         ON CONFLICT (deployment_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
        row,
      );
      if (inserted.rowCount === 0) {
        const existing = await client.query<FlowRunRow>(`SELECT * FROM flow_runs WHERE deployment_id = $1 AND idempotency_key = $2`, [
          run.deploymentId,
          run.idempotencyKey,
        ]);
        return { run: rowToFlowRun(existing.rows[0]!), created: false };
      }
      await client.query(`INSERT INTO state_history (run_id, type, name, message, timestamp) VALUES ($1, $2, $3, $4, $5)`, writes.history);
      return { run: { ...run }, created: true };
    });
    if (result.created && event !== undefined) {
      // With the batch that NOTIFYs the other servers of events, in order (drain).
      this.appendEvent(event);
      await this.flush();
    }
    return result;
  }

  async listActiveFlowRuns(): Promise<FlowRunRecord[]> {
    const rows = await this.rows<FlowRunRow>(
      `SELECT * FROM flow_runs WHERE state_type IN ('SCHEDULED', 'PENDING', 'RUNNING', 'CANCELLING', 'PAUSED')
       ORDER BY coalesce(expected_start_time, created_at), seq`,
    );
    return rows.map(rowToFlowRun);
  }

  async recordHeartbeat(flowRunIds: readonly string[], at: Date): Promise<void> {
    if (flowRunIds.length === 0) return;
    await this.rows(`UPDATE flow_runs SET heartbeat = $1 WHERE id = ANY($2)`, [at.toISOString(), [...flowRunIds]]);
  }

  async saveWorker(worker: WorkerRecord): Promise<void> {
    await this.rows(
      `INSERT INTO workers (name, body, last_heartbeat) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET body = excluded.body, last_heartbeat = excluded.last_heartbeat`,
      [worker.name, JSON.stringify(worker), worker.lastHeartbeat],
    );
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return (await this.rows<{ body: string }>(`SELECT body FROM workers ORDER BY last_heartbeat DESC, name`)).map((row) => JSON.parse(row.body) as WorkerRecord);
  }

  async saveRegisteredGraph(graph: RegisteredGraph): Promise<void> {
    await this.rows(
      `INSERT INTO registered_graphs (root, body, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (root) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      [graph.root, JSON.stringify(graph), graph.updatedAt],
    );
  }

  async listRegisteredGraphs(): Promise<RegisteredGraph[]> {
    // COLLATE "C": the same order as SQLite's, byte by byte, whatever the database's locale.
    return (await this.rows<{ body: string }>(`SELECT body FROM registered_graphs ORDER BY root COLLATE "C"`)).map((row) => JSON.parse(row.body) as RegisteredGraph);
  }

  async listDeployments(): Promise<DeploymentRecord[]> {
    return (await this.rows<RecordRow>(`SELECT * FROM deployments ORDER BY name`)).map(rowToDeployment);
  }

  async getDeployment(name: string): Promise<DeploymentRecord | undefined> {
    const row = await this.one<RecordRow>(`SELECT * FROM deployments WHERE name = $1`, [name]);
    return row ? rowToDeployment(row) : undefined;
  }

  async getDeploymentById(id: string): Promise<DeploymentRecord | undefined> {
    const row = await this.one<RecordRow>(`SELECT * FROM deployments WHERE id = $1`, [id]);
    return row ? rowToDeployment(row) : undefined;
  }

  async saveDeployment(deployment: DeploymentRecord): Promise<DeploymentRecord> {
    // The row keeps the first id and createdAt; the record read back takes them from the row.
    const [row] = await this.rows<RecordRow>(
      `INSERT INTO deployments (id, name, body, paused, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO UPDATE SET body = excluded.body, paused = excluded.paused, updated_at = excluded.updated_at RETURNING *`,
      [deployment.id, deployment.name, JSON.stringify(deployment), deployment.paused, deployment.createdAt, deployment.updatedAt],
    );
    return rowToDeployment(row!);
  }

  async listAutomations(): Promise<AutomationRecord[]> {
    return (await this.rows<RecordRow>(`SELECT * FROM automations ORDER BY name`)).map(rowToAutomation);
  }

  async getAutomation(name: string): Promise<AutomationRecord | undefined> {
    const row = await this.one<RecordRow>(`SELECT * FROM automations WHERE name = $1`, [name]);
    return row ? rowToAutomation(row) : undefined;
  }

  async saveAutomation(automation: AutomationRecord): Promise<AutomationRecord> {
    const [row] = await this.rows<RecordRow>(
      `INSERT INTO automations (id, name, body, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO UPDATE SET body = excluded.body, enabled = excluded.enabled, updated_at = excluded.updated_at RETURNING *`,
      [automation.id, automation.name, JSON.stringify(automation), automation.enabled, automation.createdAt, automation.updatedAt],
    );
    return rowToAutomation(row!);
  }

  async listEvents(filter: EventFilter = {}): Promise<TributaryEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.event !== undefined) {
      params.push(filter.event);
      where.push(`event = $${params.length}`);
    }
    if (filter.resourceId !== undefined) {
      params.push(filter.resourceId);
      where.push(`resource_id = $${params.length}`);
    }
    params.push(filter.limit ?? 100);
    const sql = `SELECT body FROM (SELECT seq, body FROM events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT $${params.length}) AS newest ORDER BY seq`;
    return (await this.rows<{ body: string }>(sql, params)).map((row) => JSON.parse(row.body) as TributaryEvent);
  }

  /**
   * Opens a connection of its own to the store's database (named `applicationName` in
   * pg_stat_activity), with TCP keepalive, and queries that time out after `queryTimeoutMs`.
   */
  async connect(applicationName: string, options: { queryTimeoutMs?: number } = {}): Promise<DedicatedConnection> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      ...(options.queryTimeoutMs !== undefined ? { query_timeout: options.queryTimeoutMs } : {}),
    });
    const lostListeners: (() => void)[] = [];
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      for (const listener of lostListeners.splice(0)) listener();
      void client.end().catch(() => undefined);
    };
    client.on("error", onLost);
    client.on("end", onLost);
    try {
      await client.connect();
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    return {
      query: async <R extends object>(sql: string, params: unknown[] = []) => (await client.query<R>(sql, params)).rows,
      listen: async (channel, listener) => {
        client.on("notification", (message) => {
          if (message.channel === channel && message.payload !== undefined) listener(message.payload);
        });
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      },
      onLost: (listener) => {
        if (lost) listener();
        else lostListeners.push(listener);
      },
      close: async () => {
        lost = true;
        lostListeners.length = 0;
        await client.end().catch(() => undefined);
      },
    };
  }

  /** Events stored after `seq` (oldest first, at most `limit`), with their seq: what a listener missed. */
  async listEventsAfter(seq: number, limit = 1000): Promise<SequencedEvent[]> {
    const rows = await this.rows<{ seq: number; body: string }>(`SELECT seq, body FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, [seq, limit]);
    return rows.map((row) => ({ seq: row.seq, event: JSON.parse(row.body) as TributaryEvent }));
  }

  /** The stored event at `seq`. */
  async eventAt(seq: number): Promise<TributaryEvent | undefined> {
    const row = await this.one<{ body: string }>(`SELECT body FROM events WHERE seq = $1`, [seq]);
    return row ? (JSON.parse(row.body) as TributaryEvent) : undefined;
  }

  /** The seq of the newest stored event (0 when there is none). */
  /** NOTIFYs each payload on `channel`, in order, in one round trip (each at most 8000 bytes). */
  async notify(channel: string, payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return;
    await this.pool.query(`SELECT count(pg_notify($1, payload)) FROM unnest($2::text[]) AS payload`, [channel, payloads]);
  }

  async latestEventSeq(): Promise<number> {
    return (await this.one<{ seq: number | null }>(`SELECT max(seq) AS seq FROM events`, []))?.seq ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.pool.end();
    }
  }

  /** Reads see what this process queued: what is pending is committed first. */
  private async rows<R extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.flush();
    return (await this.pool.query<R>(sql, params)).rows;
  }

  private async one<R extends object>(sql: string, params: unknown[]): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.flush();
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private scheduleFlush(): void {
    if (this.pending.count === MAX_BATCH) void this.backgroundFlush();
    if (this.flushScheduled) return;
    // Once the event loop turns: the writes of this turn go together, and while a batch is in
    // flight the writes gather until it is done (flush waits for it).
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.closed) void this.backgroundFlush();
    });
  }

  private async backgroundFlush(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.onBackgroundError(error as Error);
    }
  }

  /** Commits batches one at a time until nothing is queued; what is queued meanwhile forms the next batch. */
  private async drain(): Promise<void> {
    while (this.failed.length > 0 || !this.pending.isEmpty) {
      if (this.failed.length === 0) {
        this.failed.push(this.pending);
        this.pending = new PendingWrites();
      }
      // Kept in `failed` until committed, so a failed commit is retried, in order, before newer writes.
      await this.commitBatch(this.failed[0]!);
      this.failed.shift();
    }
  }

  private async commitBatch(batch: PendingWrites): Promise<void> {
    /** The statement's parts in order; a named one is referred to by a later part. */
    const parts: { name?: string; sql: string }[] = [];
    let notify: string | undefined;
    const params: unknown[] = [];
    const arrays = (columns: readonly unknown[][], types: readonly string[]) =>
      columns.map((values, i) => {
        params.push(values);
        return `$${params.length}::${types[i]}[]`;
      });
    const unnest = (columns: readonly string[], types: readonly string[], flat: readonly unknown[]) =>
      `unnest(${arrays(columns.map((_, c) => everyNth(flat, columns.length, c)), types).join(", ")})`;
    const insert = (table: string, columns: readonly string[], types: readonly string[], flat: readonly unknown[]) => {
      if (flat.length === 0) return;
      parts.push({ sql: `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM ${unnest(columns, types, flat)}` });
    };
    insert("flow_runs", FLOW_RUN_COLUMNS, FLOW_RUN_COLUMNS.map((c) => FLOW_RUN_TYPES[c]), [...batch.flowInserts.values()].flat());
    insert("task_runs", TASK_RUN_COLUMNS, TASK_RUN_COLUMNS.map((c) => TASK_RUN_TYPES[c]), [...batch.taskInserts.values()].flat());
    const fenced = batch.hasFences;
    const update = (table: "flow_runs" | "task_runs", columns: typeof FLOW_PATCH | typeof TASK_PATCH, patches: Map<string, RunPatch>, fences: Map<string, RunFence>) => {
      if (patches.size === 0) return;
      const rows = [...patches].map(([id, patch]) => [id, ...patchValues(patch, columns)]);
      const byColumn = [0, ...columns.map((_, i) => i + 1)].map((c) => rows.map((row) => row[c]));
      const names = ["id", ...columns.map(([name]) => name)];
      const types = ["text", ...columns.map(([, type]) => type)];
      const sets = columns.map(([name]) =>
        name === "state_message"
          ? `state_message = CASE WHEN p.state_type IS NULL THEN t.state_message ELSE p.state_message END`
          : `${name} = coalesce(p.${name}, t.${name})`,
      );
      let where = "t.id = p.id";
      if (fenced) {
        // The fence of each patch (RunFence), NULL for the server's own writes. A flow run's is checked
        // on its own row, so that a change committed meanwhile (a crash sweep) is seen when the row
        // lock is granted; a task run's on its flow run as the statement found it.
        byColumn.push(rows.map(([id]) => fences.get(id as string)?.flowRunId ?? null), rows.map(([id]) => fences.get(id as string)?.epoch ?? null));
        names.push("fence_run", "fence_epoch");
        types.push("text", "int4");
        where +=
          table === "flow_runs"
            ? ` AND (p.fence_epoch IS NULL OR (t.epoch = p.fence_epoch AND t.${NOT_FINAL}))`
            : ` AND (p.fence_epoch IS NULL OR EXISTS (SELECT 1 FROM flow_runs f WHERE f.id = p.fence_run AND f.epoch = p.fence_epoch AND f.${NOT_FINAL}))`;
      }
      parts.push({
        name: `${table}_patched`,
        sql: `UPDATE ${table} AS t SET ${sets.join(", ")} FROM unnest(${arrays(byColumn, types).join(", ")}) AS p(${names.join(", ")}) WHERE ${where}${fenced ? " RETURNING t.id" : ""}`,
      });
    };
    update("flow_runs", FLOW_PATCH, batch.flowPatches, batch.flowFences);
    update("task_runs", TASK_PATCH, batch.taskPatches, batch.taskFences);
    let report: string | undefined;
    if (fenced) {
      // The fenced patches that did not apply: their history rows are left out, and the statement
      // answers their runs as they are.
      const fences = [...batch.flowFences, ...batch.taskFences];
      const patched = parts.filter((part) => part.name?.endsWith("_patched")).map((part) => `SELECT id FROM ${part.name}`);
      parts.push({
        name: "refused",
        sql: `SELECT r.id, r.fence_run, r.fence_epoch FROM ${unnest(["id", "fence_run", "fence_epoch"], ["text", "text", "int4"], fences.flatMap(([id, fence]) => [id, fence.flowRunId, fence.epoch]))} AS r(id, fence_run, fence_epoch)
              WHERE r.id NOT IN (${patched.join(" UNION ALL ")})`,
      });
      report = `SELECT DISTINCT r.fence_run AS id, r.fence_epoch, f.state_type, f.state_name, f.state_message, f.state_timestamp, f.epoch
                FROM refused r LEFT JOIN flow_runs f ON f.id = r.fence_run`;
    }
    // unnest keeps the order of its arrays, so ids follow the order the writes were made in.
    if (batch.history.length > 0) {
      parts.push({
        sql: `INSERT INTO state_history (${HISTORY_COLUMNS.join(", ")}) SELECT * FROM ${unnest(HISTORY_COLUMNS, HISTORY_TYPES, batch.history)} AS h(${HISTORY_COLUMNS.join(", ")})${
          fenced ? " WHERE h.run_id NOT IN (SELECT id FROM refused)" : ""
        }`,
      });
    }
    insert("logs", LOG_COLUMNS, LOG_TYPES, batch.logs);
    if (batch.events.length > 0) {
      // The events, then one NOTIFY each (EventNotice), in seq order, by the statement's last part:
      // delivered when the batch commits, so a listener can read what it is told of.
      parts.push({ name: "stored_events", sql: `INSERT INTO events (${EVENT_COLUMNS.join(", ")}) SELECT * FROM ${unnest(EVENT_COLUMNS, EVENT_TYPES, batch.events)} RETURNING seq, body` });
      params.push(this.eventChannel, this.instanceId, MAX_NOTIFY_EVENT_BYTES);
      const [channel, origin, max] = [params.length - 2, params.length - 1, params.length];
      notify =
        `SELECT count(pg_notify($${channel}, CASE WHEN octet_length(body) <= $${max}::int ` +
        `THEN '{"o":"' || $${origin}::text || '","s":' || seq || ',"e":' || body || '}' ELSE '{"o":"' || $${origin}::text || '","s":' || seq || '}' END)) ` +
        `FROM (SELECT seq, body FROM stored_events ORDER BY seq) AS ordered`;
    }
    if (batch.cache.length > 0) {
      // One statement cannot upsert a key twice: the latest entry of a key wins, as it would in turn.
      const latest = [...new Map(batch.cache.map((entry) => [entry.key, entry])).values()];
      const byColumn = [latest.map((e) => e.key), latest.map((e) => JSON.stringify(e.result)), latest.map((e) => e.expiresAt ?? null), latest.map((e) => e.taskRunId)];
      parts.push({
        sql: `INSERT INTO task_cache (key, result, expires_at, task_run_id) SELECT * FROM unnest(${arrays(byColumn, ["text", "text", "text", "text"]).join(", ")})
         ON CONFLICT (key) DO UPDATE SET result = excluded.result, expires_at = excluded.expires_at, task_run_id = excluded.task_run_id`,
      });
    }
    if (parts.length === 0) return;
    // Data-modifying CTEs run whether read or not; the last part reads what it needs of them.
    let last: string;
    if (report !== undefined && notify !== undefined) {
      // pg_notify is volatile, so `notified` is evaluated once, as its own part, and always (the outer side of the join).
      parts.push({ name: "notified", sql: notify });
      last = `SELECT report.* FROM notified LEFT JOIN (${report}) AS report ON true`;
    } else last = report ?? notify ?? parts.pop()!.sql;
    const sql = parts.length === 0 ? last : `WITH ${parts.map((part, i) => `${part.name ?? `w${i}`} AS (${part.sql})`).join(", ")} ${last}`;
    const result = await this.pool.query<RefusedRunRow>(sql, params);
    if (report !== undefined) this.refusedRuns.report(refusedRunsOf(result.rows));
  }
}

/** A row of a batch's answer about its refused fenced patches (commitBatch). */
interface RefusedRunRow {
  id: string | null;
  fence_epoch: number;
  state_type: string | null;
  state_name: string;
  state_message: string | null;
  state_timestamp: string;
  epoch: number;
}

function refusedRunsOf(rows: readonly RefusedRunRow[]): RefusedRun[] {
  return rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      flowRunId: row.id!,
      epoch: row.fence_epoch,
      ...(row.state_type !== null
        ? { current: { state: stateOf({ ...row, state_type: row.state_type }), epoch: row.epoch } }
        : {}),
    }));
}

/** Opens (creating and migrating as needed) the store in the PostgreSQL database at `url`. */
export function openPostgresStore(url: string, options?: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(url, options);
}

/**
 * Takes one slot of every limited tag among `tags` for `taskRunId`, all or none, inside the
 * caller's transaction; false (nothing written) when some limit is full.
 */
async function acquireSlots(client: pg.PoolClient, tags: readonly string[], taskRunId: string, flowRunId: string, at: Date): Promise<boolean> {
  // Locking the limits (in one order, so two takers cannot deadlock) serialises the takers of a tag.
  // The slots are counted by the next statement: under READ COMMITTED it sees what the taker
  // before us committed while we waited for the lock (a count in the locking statement would not).
  await client.query(`SELECT 1 FROM concurrency_limits WHERE tag = ANY($1) ORDER BY tag FOR UPDATE`, [[...new Set(tags)]]);
  const limits = (
    await client.query<{ tag: string; slot_limit: number; active: number }>(
      `SELECT l.tag, l.slot_limit, (SELECT count(*) FROM concurrency_slots s WHERE s.tag = l.tag) AS active
       FROM concurrency_limits l WHERE l.tag = ANY($1) ORDER BY l.tag`,
      [[...new Set(tags)]],
    )
  ).rows;
  if (limits.some((limit) => limit.active >= limit.slot_limit)) return false;
  if (limits.length > 0) {
    await client.query(
      `INSERT INTO concurrency_slots (tag, task_run_id, flow_run_id, acquired_at) SELECT unnest($1::text[]), $2, $3, $4 ON CONFLICT DO NOTHING`,
      [limits.map((limit) => limit.tag), taskRunId, flowRunId, at.toISOString()],
    );
  }
  return true;
}

/** The NOTIFY channel of a schema's events (or its live ones): a channel name is an identifier of at most 63 bytes. */
export function eventChannelOf(schema: string, kind: "events" | "live" = "events"): string {
  return `tributary_${kind}_${createHash("sha256").update(schema).digest("hex").slice(0, 24)}`;
}

function everyNth(values: readonly unknown[], width: number, offset: number): unknown[] {
  const out = new Array<unknown>(values.length / width);
  for (let i = 0, j = offset; j < values.length; i++, j += width) out[i] = values[j];
  return out;
}

function patchValues(patch: RunPatch, columns: typeof FLOW_PATCH | typeof TASK_PATCH): unknown[] {
  const values: Record<string, unknown> = {
    state_type: patch.state?.type ?? null,
    state_name: patch.state?.name ?? null,
    state_message: patch.state?.message ?? null,
    state_timestamp: patch.state?.timestamp ?? null,
    result: patch.result === undefined ? null : JSON.stringify(patch.result),
    start_time: patch.startTime ?? null,
    end_time: patch.endTime ?? null,
    run_count: patch.runCount ?? null,
    attempts: patch.attempts ?? null,
    pid: patch.pid ?? null,
    host: patch.host ?? null,
    process_start_time: patch.processStartTime ?? null,
    retry_budget: patch.retryBudget === undefined ? null : JSON.stringify(patch.retryBudget),
  };
  return columns.map(([name]) => values[name]);
}

async function endRun(client: pg.PoolClient, table: "flow_runs" | "task_runs", id: string, state: State): Promise<void> {
  await client.query(
    `UPDATE ${table} SET state_type = $2, state_name = $3, state_message = $4, state_timestamp = $5, end_time = coalesce(end_time, $5) WHERE id = $1`,
    [id, state.type, state.name, state.message ?? null, state.timestamp],
  );
  await insertHistory(client, id, state);
}

async function insertHistory(client: pg.PoolClient, id: string, state: State): Promise<void> {
  await client.query(`INSERT INTO state_history (run_id, type, name, message, timestamp) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    state.type,
    state.name,
    state.message ?? null,
    state.timestamp,
  ]);
}

interface RecordRow {
  id: string;
  name: string;
  body: string;
  created_at: string;
  paused?: boolean;
  enabled?: boolean;
}

function rowToDeployment(row: RecordRow): DeploymentRecord {
  const record = JSON.parse(row.body) as DeploymentRecord;
  return { ...record, id: row.id, createdAt: row.created_at, paused: row.paused === true };
}

function rowToAutomation(row: RecordRow): AutomationRecord {
  const record = JSON.parse(row.body) as AutomationRecord;
  return { ...record, id: row.id, createdAt: row.created_at, enabled: row.enabled === true };
}
