/**
 * Versioned schema of the SQLite store. `PRAGMA user_version` holds the number of migrations
 * applied; each migration runs in its own transaction, so a store is never half-migrated.
 * Append new migrations; never edit one that has shipped.
 */
import type { SqliteConnection } from "./sqlite-driver.js";

export const MIGRATIONS: readonly string[] = [
  // 1: runs, task runs, state history, logs, task cache, tag concurrency limits.
  `
  CREATE TABLE flow_runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    flow_name TEXT NOT NULL,
    flow_version TEXT,
    parent_flow_run_id TEXT,
    parent_task_run_id TEXT,
    deployment_id TEXT,
    entrypoint TEXT,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_timestamp TEXT NOT NULL,
    parameters TEXT NOT NULL,
    result TEXT,
    tags TEXT NOT NULL,
    run_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    start_time TEXT,
    end_time TEXT,
    pid INTEGER
  );
  CREATE INDEX flow_runs_by_flow ON flow_runs (flow_name, seq);
  CREATE INDEX flow_runs_by_parent ON flow_runs (parent_flow_run_id);
  CREATE INDEX flow_runs_by_state ON flow_runs (state_type, state_name);

  CREATE TABLE task_runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    flow_run_id TEXT NOT NULL,
    name TEXT NOT NULL,
    task_name TEXT NOT NULL,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_timestamp TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    map_index INTEGER,
    tags TEXT NOT NULL,
    upstream_task_run_ids TEXT NOT NULL,
    cache_key TEXT,
    result TEXT,
    created_at TEXT NOT NULL,
    start_time TEXT,
    end_time TEXT
  );
  CREATE INDEX task_runs_by_flow_run ON task_runs (flow_run_id, seq);

  CREATE TABLE state_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    message TEXT,
    timestamp TEXT NOT NULL
  );
  CREATE INDEX state_history_by_run ON state_history (run_id, id);

  CREATE TABLE logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_run_id TEXT NOT NULL,
    task_run_id TEXT,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    timestamp TEXT NOT NULL
  );
  CREATE INDEX logs_by_flow_run ON logs (flow_run_id, id);

  CREATE TABLE task_cache (
    key TEXT PRIMARY KEY,
    result TEXT NOT NULL,
    expires_at TEXT,
    task_run_id TEXT NOT NULL
  );

  CREATE TABLE concurrency_limits (
    tag TEXT PRIMARY KEY,
    slot_limit INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE concurrency_slots (
    tag TEXT NOT NULL,
    task_run_id TEXT NOT NULL,
    flow_run_id TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    PRIMARY KEY (tag, task_run_id)
  );
  CREATE INDEX concurrency_slots_by_task_run ON concurrency_slots (task_run_id);
  `,
  // 2: deployments, automations, events; what the server keeps on a flow run.
  `
  ALTER TABLE flow_runs ADD COLUMN idempotency_key TEXT;
  ALTER TABLE flow_runs ADD COLUMN expected_start_time TEXT;
  ALTER TABLE flow_runs ADD COLUMN chain TEXT;
  ALTER TABLE flow_runs ADD COLUMN heartbeat TEXT;
  CREATE UNIQUE INDEX flow_runs_by_idempotency_key ON flow_runs (deployment_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
  CREATE INDEX flow_runs_by_deployment ON flow_runs (deployment_id, seq);

  CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    paused INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE automations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    occurred TEXT NOT NULL,
    event TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX events_by_name ON events (event, seq);
  CREATE INDEX events_by_resource ON events (resource_id, seq);
  `,
  // 3: which process executes a run, beyond its pid: the host it runs on and the process's start
  // time (clock ticks since boot), so a reused pid or another machine's pid is not taken for it.
  `
  ALTER TABLE flow_runs ADD COLUMN host TEXT;
  ALTER TABLE flow_runs ADD COLUMN process_start_time INTEGER;
  `,
  // 4: the workers that execute deployment runs (a server's, `tributary worker start`), by name,
  // with their last heartbeat (`tributary worker ls`).
  `
  CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    last_heartbeat TEXT NOT NULL
  );
  `,
  // 5: what a deployment run's retries still cover, so that a run whose process crashed is retried.
  `
  ALTER TABLE flow_runs ADD COLUMN retry_budget TEXT;
  `,
  // 6: the static dependency graph of each deployed project (PUT /api/graph), by its root folder:
  // one JSON document the dashboard draws whole, replaced by the project's next deploy.
  `
  CREATE TABLE registered_graphs (
    root TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 7: the worker that claimed a deployment run (its name, as the workers table keys it), and the
  // index that lists a worker's runs newest first (the dashboard's Workers → its runs).
  `
  ALTER TABLE flow_runs ADD COLUMN worker_name TEXT;
  CREATE INDEX flow_runs_by_worker ON flow_runs (worker_name, seq);
  `,
  // 8: which execution of a flow run is current (FlowRunRecord.epoch), raised when the server hands
  // the run to a new one: the writes of a run's process are fenced by it (pending-writes.ts).
  `
  ALTER TABLE flow_runs ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
  `,
];

/**
 * Brings the database up to the newest schema. Throws when the file is newer than this code.
 *
 * The version is read again under the write lock (BEGIN IMMEDIATE; the connection's busy_timeout
 * makes the others wait) before each migration: many processes opening a brand-new file at once
 * would otherwise all read version 0 and all try to create the tables. An up-to-date store is
 * recognised without the lock, since versions only grow.
 */
export function migrate(db: SqliteConnection, migrations: readonly string[] = MIGRATIONS): void {
  if (checkedVersion(db, migrations) === migrations.length) return;
  const applyNext = (): boolean => {
    const version = checkedVersion(db, migrations);
    if (version === migrations.length) return false;
    db.exec(migrations[version]!);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  };
  while (db.immediate(applyNext)) {
    // One migration a transaction, so a store is never half-migrated and the lock is held briefly.
  }
}

function checkedVersion(db: SqliteConnection, migrations: readonly string[]): number {
  const current = Number(db.pragma("user_version"));
  if (current > migrations.length) {
    throw new Error(
      `The store at ${db.location} has schema version ${current}, newer than this Tributary (${migrations.length}). Upgrade Tributary or point TRIBUTARY_HOME elsewhere.`,
    );
  }
  return current;
}
