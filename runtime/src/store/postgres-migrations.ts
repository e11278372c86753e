/**
 * Versioned schema of the PostgreSQL store. The table `tributary_schema_version` lists the
 * migrations applied; all of them are applied in one transaction that first takes a transaction
 * advisory lock (`pg_advisory_xact_lock`), so that servers and CLIs starting together on a new
 * database wait for the first and then find the schema made. Append new migrations; never edit one
 * that has shipped.
 *
 * The columns are those of the SQLite store (migrations.ts), with the same types where it matters
 * to the records read back: times are ISO 8601 text, as the API returns them and as they sort;
 * parameters, results, tags and chains are JSON text. Sequences are bigint identities.
 */
import type { PoolClient } from "pg";

export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: the SQLite store's schema after its migration 3.
  `
  CREATE TABLE flow_runs (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    pid INTEGER,
    idempotency_key TEXT,
    expected_start_time TEXT,
    chain TEXT,
    heartbeat TEXT,
    host TEXT,
    process_start_time BIGINT
  );
  CREATE INDEX flow_runs_by_flow ON flow_runs (flow_name, seq);
  CREATE INDEX flow_runs_by_parent ON flow_runs (parent_flow_run_id);
  CREATE INDEX flow_runs_by_state ON flow_runs (state_type, state_name);
  CREATE UNIQUE INDEX flow_runs_by_idempotency_key ON flow_runs (deployment_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
  CREATE INDEX flow_runs_by_deployment ON flow_runs (deployment_id, seq);

  CREATE TABLE task_runs (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    message TEXT,
    timestamp TEXT NOT NULL
  );
  CREATE INDEX state_history_by_run ON state_history (run_id, id);

  CREATE TABLE logs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

  CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    paused BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE automations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    occurred TEXT NOT NULL,
    event TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX events_by_name ON events (event, seq);
  CREATE INDEX events_by_resource ON events (resource_id, seq);
  `,
  // 2: the SQLite store's migration 4: workers and their heartbeats.
  `
  CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    last_heartbeat TEXT NOT NULL
  );
  `,
  // 3: the SQLite store's migration 5: what a deployment run's retries still cover.
  `
  ALTER TABLE flow_runs ADD COLUMN retry_budget TEXT;
  `,
  // 4: the SQLite store's migration 6: each deployed project's static dependency graph.
  `
  CREATE TABLE registered_graphs (
    root TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 5: the SQLite store's migration 7: the worker that claimed a deployment run, and its runs by seq.
  `
  ALTER TABLE flow_runs ADD COLUMN worker_name TEXT;
  CREATE INDEX flow_runs_by_worker ON flow_runs (worker_name, seq);
  `,
  // 6: the SQLite store's migration 8: which execution of a flow run is current, fencing its process's writes.
  `
  ALTER TABLE flow_runs ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
  `,
];

/** The advisory lock key space of Tributary's migrations (one lock per schema, keyed by its name). */
const LOCK_NAMESPACE = 0x74726962; // "trib"

/**
 * Creates `schema` if needed and brings it up to the newest schema, under an advisory lock held
 * until the transaction ends. Throws when the database is newer than this code. An up-to-date
 * schema is recognised without the lock, since versions only grow.
 */
export async function migratePostgres(
  client: PoolClient,
  schema: string,
  location: string,
  migrations: readonly string[] = POSTGRES_MIGRATIONS,
): Promise<void> {
  if ((await appliedVersion(client, schema, location, migrations)) === migrations.length) return;
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_NAMESPACE, schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(schema)}.tributary_schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    for (let version = await appliedVersion(client, schema, location, migrations); version < migrations.length; version++) {
      await client.query(migrations[version]!);
      await client.query(`INSERT INTO ${quoteIdentifier(schema)}.tributary_schema_version (version) VALUES ($1)`, [version + 1]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function appliedVersion(client: PoolClient, schema: string, location: string, migrations: readonly string[]): Promise<number> {
  const table = await client.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [
    `${quoteIdentifier(schema)}.tributary_schema_version`,
  ]);
  if (!table.rows[0]!.present) return 0;
  const result = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${quoteIdentifier(schema)}.tributary_schema_version`);
  const version = result.rows[0]!.version ?? 0;
  if (version > migrations.length) {
    throw new Error(
      `The store at ${location} has schema version ${version}, newer than this Tributary (${migrations.length}). Upgrade Tributary or point TRIBUTARY_DATABASE_URL elsewhere.`,
    );
  }
  return version;
}

/** `name` as a PostgreSQL identifier, quoted. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
