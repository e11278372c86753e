/**
 * The stores one store test suite runs against: SQLite on each driver (sqlite-driver-cases.ts) and
 * PostgreSQL at TRIBUTARY_TEST_DATABASE_URL. Each case opens a new, empty store — a new file, or a
 * new schema of the test database — so cases never share rows, and disposes of it after.
 *
 * Without TRIBUTARY_TEST_DATABASE_URL the PostgreSQL cases are skipped with the way to run them;
 * CI sets it (.ci/run starts PostgreSQL), and store-backends.test.ts fails a CI run where it is unset.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openPostgresStore, type PostgresStore } from "../store/postgres-store.js";
import { quoteIdentifier } from "../store/postgres-migrations.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { Store } from "../store/store.js";
import { sqliteDriverCases } from "./sqlite-driver-cases.js";

export const TEST_DATABASE_URL_ENV = "TRIBUTARY_TEST_DATABASE_URL";

/** One store of a test: `reopen` opens another store on the same data (a second process would). */
export interface TestStore {
  store: Store;
  reopen(): Promise<Store>;
  /** Closes `store` and every reopened one, and deletes the data. */
  dispose(): Promise<void>;
}

export interface StoreBackend {
  /** `SQLite on node:sqlite`, `PostgreSQL`. */
  name: string;
  kind: "sqlite" | "postgres";
  /** `false`, or why this run cannot test the backend. */
  skip: string | false;
  open(): Promise<TestStore>;
}

export function testDatabaseUrl(): string | undefined {
  const url = process.env[TEST_DATABASE_URL_ENV]?.trim();
  return url === undefined || url === "" ? undefined : url;
}

export function storeBackends(): StoreBackend[] {
  const sqlite = sqliteDriverCases().map(({ driver, skip }): StoreBackend => ({
    name: `SQLite on ${driver}`,
    kind: "sqlite",
    skip,
    async open() {
      const dir = mkdtempSync(path.join(tmpdir(), "tributary-store-"));
      const file = path.join(dir, "tributary.db");
      const stores: Store[] = [openSqliteStore(file, { driver })];
      return {
        store: stores[0]!,
        async reopen() {
          const store = openSqliteStore(file, { driver });
          stores.push(store);
          return store;
        },
        async dispose() {
          for (const store of stores) await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  }));
  return [...sqlite, postgresBackend()];
}

export function postgresBackend(): StoreBackend {
  const url = testDatabaseUrl();
  return {
    name: "PostgreSQL",
    kind: "postgres",
    skip:
      url === undefined
        ? `${TEST_DATABASE_URL_ENV} is not set: run the tests through node scripts/test-postgres.mjs -- <command>, which starts a throwaway PostgreSQL and sets it`
        : false,
    async open() {
      const schema = newTestSchema();
      const stores: Store[] = [await openPostgresStore(url!, { schema })];
      return {
        store: stores[0]!,
        async reopen() {
          const store = await openPostgresStore(url!, { schema });
          stores.push(store);
          return store;
        },
        async dispose() {
          for (const store of stores) await store.close();
          await dropSchema(url!, schema);
        },
      };
    },
  };
}

/** A schema name no other test uses. */
export function newTestSchema(): string {
  return `test_${randomBytes(6).toString("hex")}`;
}

/** Runs `sql` on the test database outside any store (to look under a store, or to break it). */
export async function queryTestDatabase<R extends object>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await queryTestDatabase(url, `DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
}

/**
 * A database of its own on the test cluster, for processes that each open the store by URL (real
 * servers and workers): its URL at once, `create()` before them, `drop()` after (it disconnects
 * what is left).
 */
export function ownTestDatabase(prefix: string): { url: string; create(): Promise<void>; drop(): Promise<void> } {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const url = new URL(testDatabaseUrl() ?? "postgres://unset/");
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    create: async () => void (await queryTestDatabase(testDatabaseUrl()!, `CREATE DATABASE ${name}`)),
    drop: async () => {
      if (testDatabaseUrl() !== undefined) await queryTestDatabase(testDatabaseUrl()!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export type { PostgresStore };
