// What only the PostgreSQL store has: its migrations under an advisory lock, its group commit over
// round trips, and guarded changes between stores that are separate clients of one database.
// Everything every store does is in store.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { makeState } from "../states.js";
import type { FlowRunRecord } from "./records.js";
import { openPostgresStore, type PostgresStore } from "./postgres-store.js";
import { POSTGRES_MIGRATIONS, quoteIdentifier } from "./postgres-migrations.js";
import { dropSchema, newTestSchema, postgresBackend, queryTestDatabase, testDatabaseUrl } from "../test-support/store-backends.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const { skip } = postgresBackend();
const url = testDatabaseUrl()!;

function flowRun(id: string, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return { id, name: `name-${id}`, flowName: "etl", state: makeState("Running", t0), parameters: {}, tags: [], runCount: 1, createdAt: t0.toISOString(), ...overrides };
}

/** Opens `count` stores on `schema` at once (separate pools, as separate processes would), then runs `use`. */
async function withStores<T>(count: number, schema: string, use: (stores: PostgresStore[]) => Promise<T>): Promise<T> {
  const opening = await Promise.allSettled(Array.from({ length: count }, () => openPostgresStore(url, { schema, maxConnections: 2 })));
  const stores = opening.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  try {
    const failures = opening.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
    assert.deepEqual(failures, [], "every opener succeeds");
    return await use(stores);
  } finally {
    for (const store of stores) await store.close();
    await dropSchema(url, schema);
  }
}

describe("PostgresStore", { skip }, () => {
  it("migrates a new schema once when twenty stores open it at the same time", async () => {
    const schema = newTestSchema();
    await withStores(20, schema, async (stores) => {
      const versions = await queryTestDatabase<{ version: number }>(url, `SELECT version FROM ${quoteIdentifier(schema)}.tributary_schema_version ORDER BY version`);
      assert.deepEqual(versions.map((row) => row.version), POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      stores[0]!.createFlowRun(flowRun("one"));
      await stores[0]!.flush();
      assert.equal((await stores[19]!.getFlowRun("one"))?.id, "one");
    });
  });

  it("refuses a schema newer than this Tributary, naming the store", async () => {
    const schema = newTestSchema();
    await withStores(1, schema, async () => {
      await queryTestDatabase(url, `INSERT INTO ${quoteIdentifier(schema)}.tributary_schema_version (version) VALUES ($1)`, [POSTGRES_MIGRATIONS.length + 5]);
      await assert.rejects(openPostgresStore(url, { schema }), (error: Error) => {
        assert.match(error.message, /schema version \d+, newer than this Tributary/);
        assert.match(error.message, /postgres:\/\/[^:]+:\*\*\*@/, "the password is masked");
        return true;
      });
    });
  });

  it("commits the writes of a flow of sequential tasks made while a batch is in flight together, in the next batch (group commit)", async () => {
    const schema = newTestSchema();
    await withStores(1, schema, async ([store]) => {
      store!.createFlowRun(flowRun("seq"));
      await store!.flush();
      const tasks = 300;
      // The transactions that wrote the tasks, counted by the rows themselves: each row's xmin is
      // the transaction that last wrote it, and every write here adds a state history row. (The
      // cluster's transaction counter counted other test files' writes as well, under load.)
      const writers = async () => {
        const table = (name: string) => `${quoteIdentifier(schema)}.${name}`;
        const sql = `SELECT count(DISTINCT x)::int AS n FROM (SELECT xmin::text AS x FROM ${table("task_runs")} WHERE flow_run_id = 'seq' UNION ALL SELECT xmin::text FROM ${table("state_history")} WHERE run_id LIKE 'task-%') AS writes`;
        return (await queryTestDatabase<{ n: number }>(url, sql))[0]!.n;
      };
      // Another client holds task_runs, so the store's first batch waits in flight while every
      // later write is made, each on its own turn: how many gather no longer depends on how fast
      // the round trip is against the turns (which made this test fail at some loads).
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query(`LOCK TABLE ${quoteIdentifier(schema)}.task_runs IN EXCLUSIVE MODE`);
        for (let i = 0; i < tasks; i++) {
          const id = `task-${i}`;
          store!.createTaskRun({ id, flowRunId: "seq", name: id, taskName: "t", state: makeState("Pending", t0), attempts: 0, tags: [], upstreamTaskRunIds: [], createdAt: t0.toISOString() });
          await new Promise<void>((resolve) => setImmediate(resolve));
          store!.updateTaskRun(id, { state: makeState("Running", t0), attempts: 1 });
          await new Promise<void>((resolve) => setImmediate(resolve));
          store!.updateTaskRun(id, { state: makeState("Completed", t0), result: i });
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        await locker.query("COMMIT");
      } finally {
        await locker.end();
      }
      await store!.flush();
      const transactions = await writers();
      assert.equal((await store!.getTaskRuns("seq")).filter((task) => task.state.name === "Completed").length, tasks);
      assert.equal((await store!.getStateHistory("task-299")).length, 3);
      // The first task's first write, then everything queued behind it in one: 900 writes, 2 transactions.
      assert.equal(transactions, 2, `${tasks} tasks took ${transactions} transactions`);
    });
  });

  it("commits queued writes by itself, where another client sees them", async () => {
    const schema = newTestSchema();
    await withStores(2, schema, async ([writer, reader]) => {
      writer!.createFlowRun(flowRun("auto"));
      // No flush: the write goes when the event loop turns. Wait for the other client to see it.
      let seen = await reader!.getFlowRun("auto");
      for (let turns = 0; seen === undefined && turns < 10_000; turns++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        seen = await reader!.getFlowRun("auto");
      }
      assert.equal(seen?.id, "auto");
    });
  });

  it("lets exactly one of two stores win a guarded transition and the last concurrency slot", async () => {
    const schema = newTestSchema();
    await withStores(2, schema, async ([a, b]) => {
      for (let i = 0; i < 10; i++) a!.createFlowRun(flowRun(`paused-${i}`, { state: makeState("Paused", t0) }));
      await a!.flush();
      for (let i = 0; i < 10; i++) {
        const wins = await Promise.all([
          a!.transitionFlowRunIf(`paused-${i}`, "PAUSED", makeState("Running", t0)),
          b!.transitionFlowRunIf(`paused-${i}`, "PAUSED", makeState("Cancelled", t0)),
        ]);
        assert.equal(wins.filter(Boolean).length, 1, `run ${i}: ${JSON.stringify(wins)}`);
        assert.equal((await a!.getStateHistory(`paused-${i}`)).length, 2, "the loser wrote no transition");
      }
      for (let round = 0; round < 10; round++) {
        const tag = `db-${round}`;
        await a!.createConcurrencyLimit(tag, 1, t0);
        const takers = Array.from({ length: 8 }, (_, i) => (i % 2 ? a! : b!).tryAcquireConcurrencySlots([tag], `slot-${round}-${i}`, "f", t0));
        assert.equal((await Promise.all(takers)).filter(Boolean).length, 1, `round ${round}`);
        assert.equal((await b!.listConcurrencyLimits()).find((limit) => limit.tag === tag)?.active, 1);
      }
    });
  });
});
