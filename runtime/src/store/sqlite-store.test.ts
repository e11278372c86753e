import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { makeState } from "../states.js";
import type { FlowRunRecord } from "./records.js";
import { openSqliteStore, type SqliteStore } from "./sqlite-store.js";
import { MIGRATIONS } from "./migrations.js";
import { openSqliteConnection } from "./sqlite-driver.js";
import { sqliteDriverCases } from "../test-support/sqlite-driver-cases.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");

function flowRun(id: string, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return {
    id,
    name: `name-${id}`,
    flowName: "etl",
    state: makeState("Pending", t0),
    parameters: { batch: 1 },
    tags: ["etl"],
    runCount: 0,
    createdAt: t0.toISOString(),
    ...overrides,
  };
}

// What only the SQLite store has: its own commits per event-loop turn, its migrations, its WAL after a crash.
// Everything else every store does is in store.test.ts.
for (const { driver, skip } of sqliteDriverCases()) {
  describe(`SqliteStore on ${driver}`, { skip }, () => {
    let dir: string;
    let store: SqliteStore;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), "tributary-store-"));
      store = openSqliteStore(path.join(dir, "tributary.db"), { driver });
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("commits queued writes on its own when the event loop turns", async () => {
      store.createFlowRun(flowRun("auto"));
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      const other = openSqliteConnection(store.location, { driver, readonly: true });
      try {
        assert.equal((other.prepare("SELECT count(*) AS n FROM flow_runs WHERE id = 'auto'").get() as { n: number }).n, 1);
      } finally {
        other.close();
      }
    });
  });

  describe(`SqliteStore migrations on ${driver}`, { skip }, () => {
    it("migrates a new file once and reopens it without migrating again", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "tributary-migrate-"));
      try {
        const file = path.join(dir, "nested", "tributary.db");
        const first = openSqliteStore(file, { driver });
        first.createFlowRun(flowRun("kept"));
        await first.close();
        const second = openSqliteStore(file, { driver });
        assert.equal((await second.getFlowRun("kept"))?.id, "kept");
        await second.close();
        const db = openSqliteConnection(file, { driver });
        assert.equal(db.pragma("user_version"), MIGRATIONS.length);
        assert.equal(db.pragma("journal_mode"), "wal");
        db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
        db.close();
        assert.throws(() => openSqliteStore(file, { driver }), /newer than this Tributary/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe(`SqliteStore crash safety on ${driver}`, { skip }, () => {
    it("keeps every committed transition and passes the integrity check after SIGKILL mid-burst", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "tributary-crash-"));
      try {
        const file = path.join(dir, "tributary.db");
        const writer = spawn(process.execPath, ["--import", "tsx", path.resolve("test-fixtures/store/crash-writer.ts"), file], {
          stdio: ["ignore", "pipe", "inherit"],
          env: { ...process.env, TRIBUTARY_SQLITE_DRIVER: driver },
        });
        let lastCommitted = 0;
        const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.on("exit", (_code, signal) => resolve(signal)));
        await new Promise<void>((resolve) => {
          let buffer = "";
          writer.stdout.on("data", (chunk: Buffer) => {
            buffer += chunk.toString();
            for (const match of buffer.matchAll(/committed (\d+)\n/g)) lastCommitted = Number(match[1]);
            buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
            if (lastCommitted >= 3000) resolve();
          });
        });
        writer.kill("SIGKILL");
        assert.equal(await exited, "SIGKILL");
        const db = openSqliteConnection(file, { driver });
        try {
          assert.equal(db.pragma("integrity_check"), "ok");
          const transitions = (db.prepare("SELECT count(*) AS n FROM state_history").get() as { n: number }).n;
          assert.ok(transitions >= lastCommitted, `committed ${lastCommitted} transitions, found ${transitions}`);
          const torn = db
            .prepare(`SELECT count(*) AS n FROM flow_runs f WHERE (SELECT count(*) FROM state_history h WHERE h.run_id = f.id) <> 3`)
            .get() as { n: number };
          assert.equal(torn.n, 0, "a commit holds whole batches: every run has all three of its transitions");
        } finally {
          db.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
