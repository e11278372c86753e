import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { sqliteDriverCases } from "../test-support/sqlite-driver-cases.js";
import { availableSqliteDrivers, defaultSqliteDriver, isSqliteBusy, openSqliteConnection, sqliteDriverProblem, type SqliteConnection } from "./sqlite-driver.js";
import { makeState } from "../states.js";
import { openSqliteStore } from "./sqlite-store.js";

let dir: string;
before(() => (dir = mkdtempSync(path.join(tmpdir(), "tributary-driver-"))));
after(() => rmSync(dir, { recursive: true, force: true }));

function withConnection<T>(connection: SqliteConnection, use: (db: SqliteConnection) => T): T {
  try {
    return use(connection);
  } finally {
    connection.close();
  }
}

for (const { driver, skip } of sqliteDriverCases()) {
  describe(`SQLite connection on ${driver}`, { skip }, () => {
    const file = (name: string) => path.join(dir, `${driver.replace(/\W/g, "-")}-${name}.db`);

    it("binds positional values and @named values keyed without the @, and reads integers as numbers", () => {
      withConnection(openSqliteConnection(file("bind"), { driver }), (db) => {
        db.exec("CREATE TABLE t (id TEXT, n INTEGER, note TEXT)");
        db.prepare("INSERT INTO t VALUES (?, ?, ?)").run("a", 1, null);
        db.prepare("INSERT INTO t VALUES (@id, @n, coalesce(@note, 'none'))").run({ id: "b", n: 2 ** 40, note: null });
        const rows = db.prepare("SELECT id, n, note FROM t ORDER BY id").all() as { id: string; n: number; note: string | null }[];
        assert.deepEqual(rows.map((r) => [r.id, r.n, r.note]), [["a", 1, null], ["b", 2 ** 40, "none"]]);
        assert.equal(typeof rows[1]!.n, "number");
        assert.equal(Number(db.prepare("DELETE FROM t WHERE id = ?").run("a").changes), 1);
      });
    });

    it("commits an immediate transaction, rolls back one whose function throws, and refuses to nest one", () => {
      withConnection(openSqliteConnection(file("tx"), { driver }), (db) => {
        db.exec("CREATE TABLE t (x INTEGER)");
        assert.equal(db.immediate(() => db.prepare("INSERT INTO t VALUES (1)").run() && "done"), "done");
        assert.throws(
          () =>
            db.immediate(() => {
              db.prepare("INSERT INTO t VALUES (2)").run();
              throw new Error("boom");
            }),
          /boom/,
        );
        assert.throws(() => db.immediate(() => db.immediate(() => 0)), /do not nest/);
        assert.deepEqual((db.prepare("SELECT x FROM t").all() as { x: number }[]).map((r) => r.x), [1]);
        db.immediate(() => db.prepare("INSERT INTO t VALUES (3)").run()); // the connection is usable after both failures
        assert.equal(db.pragma("user_version"), 0);
        assert.equal(db.pragma("journal_mode = WAL"), "wal");
        assert.equal(db.pragma("synchronous = NORMAL"), undefined);
      });
    });

    it("reports SQLITE_BUSY, recognised by isSqliteBusy, while another connection holds the write lock", () => {
      const path = file("busy");
      withConnection(openSqliteConnection(path, { driver }), (holder) => {
        holder.exec("CREATE TABLE t (x)");
        withConnection(openSqliteConnection(path, { driver }), (other) => {
          other.pragma("busy_timeout = 0");
          holder.exec("BEGIN IMMEDIATE");
          let caught: unknown;
          try {
            other.immediate(() => 0);
          } catch (error) {
            caught = error;
          }
          holder.exec("COMMIT");
          assert.ok(caught, "the second writer was refused");
          assert.equal(isSqliteBusy(caught), true, `not taken for SQLITE_BUSY: ${String(caught)}`);
          assert.equal(other.immediate(() => "free"), "free");
        });
      });
      assert.equal(isSqliteBusy(new Error("database is locked")), false, "only the drivers' own error shapes count");
    });

    it("opens read-only, refusing writes, and refuses a missing file when it must exist", () => {
      const path = file("readonly");
      withConnection(openSqliteConnection(path, { driver }), (db) => db.exec("CREATE TABLE t (x)"));
      withConnection(openSqliteConnection(path, { driver, readonly: true, fileMustExist: true }), (db) => {
        assert.deepEqual(db.prepare("SELECT count(*) AS n FROM t").all().map((r) => (r as { n: number }).n), [0]);
        assert.throws(() => db.exec("INSERT INTO t VALUES (1)"), /readonly/);
      });
      assert.throws(() => openSqliteConnection(file("missing"), { driver, fileMustExist: true }), /There is no SQLite file at .*missing/);
    });
  });
}

describe("choosing the SQLite driver", () => {
  it("prefers node:sqlite where this Node can use it, else better-sqlite3", () => {
    const expected = sqliteDriverProblem("node:sqlite") === undefined ? "node:sqlite" : "better-sqlite3";
    const saved = process.env.TRIBUTARY_SQLITE_DRIVER;
    delete process.env.TRIBUTARY_SQLITE_DRIVER;
    try {
      assert.equal(defaultSqliteDriver(), expected);
    } finally {
      if (saved !== undefined) process.env.TRIBUTARY_SQLITE_DRIVER = saved;
    }
  });

  it("takes the driver from TRIBUTARY_SQLITE_DRIVER, and refuses an unknown name, naming it", () => {
    const saved = process.env.TRIBUTARY_SQLITE_DRIVER;
    try {
      for (const driver of availableSqliteDrivers()) {
        process.env.TRIBUTARY_SQLITE_DRIVER = driver;
        const store = openSqliteStore(path.join(dir, `env-${driver.replace(/\W/g, "-")}.db`));
        assert.equal(store.driver, driver);
        void store.close();
      }
      process.env.TRIBUTARY_SQLITE_DRIVER = "sqlite3";
      assert.throws(() => openSqliteStore(path.join(dir, "env-bad.db")), {
        name: "SqliteDriverError",
        message: 'Expected TRIBUTARY_SQLITE_DRIVER to be "node:sqlite" or "better-sqlite3", got `sqlite3`; leave it unset to use the first driver this Node has.',
      });
    } finally {
      if (saved === undefined) delete process.env.TRIBUTARY_SQLITE_DRIVER;
      else process.env.TRIBUTARY_SQLITE_DRIVER = saved;
    }
  });

  it("says why a driver asked for by name cannot be used here", () => {
    const unusable = (["node:sqlite", "better-sqlite3"] as const).find((driver) => sqliteDriverProblem(driver) !== undefined);
    if (unusable === undefined) return; // both usable: nothing to refuse on this Node
    assert.throws(() => openSqliteConnection(path.join(dir, "unusable.db"), { driver: unusable }), {
      name: "SqliteDriverError",
      message: new RegExp(`^The SQLite driver ${unusable} cannot be used: .*Node v\\d+`),
    });
  });
});

const [nodeSqlite, betterSqlite3] = sqliteDriverCases();
describe("one store file, both drivers", { skip: nodeSqlite!.skip || betterSqlite3!.skip }, () => {
  it("reads on better-sqlite3 what node:sqlite wrote, and the other way round", async () => {
    const file = path.join(dir, "shared.db");
    const first = openSqliteStore(file, { driver: "node:sqlite" });
    first.createFlowRun({ id: "r1", name: "r1", flowName: "f", state: makeState("Completed", new Date()), parameters: { a: 1 }, tags: ["x"], runCount: 1, createdAt: new Date().toISOString() });
    await first.close();
    const second = openSqliteStore(file, { driver: "better-sqlite3" });
    assert.deepEqual((await second.getFlowRun("r1"))?.parameters, { a: 1 });
    second.updateFlowRun("r1", { result: { rows: 2 } });
    await second.close();
    const third = openSqliteStore(file, { driver: "node:sqlite" });
    assert.deepEqual((await third.getFlowRun("r1"))?.result, { rows: 2 });
    await third.close();
  });
});

describe("loading node:sqlite", { skip: nodeSqlite!.skip }, () => {
  it("keeps Node's SQLite ExperimentalWarning from users, and lets every other warning through", () => {
    const fixture = path.resolve("test-fixtures/store/node-sqlite-warning.ts");
    const result = spawnSync(process.execPath, ["--import", "tsx", fixture], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, "opened\n");
    assert.doesNotMatch(result.stderr, /SQLite is an experimental feature/);
    assert.match(result.stderr, /ExperimentalWarning: Something else is an experimental feature/);
    // Without the guard this Node does print it (when it still does), so the assertion above can fail.
    const bare = spawnSync(process.execPath, ["-e", 'require("node:sqlite")'], { encoding: "utf8" });
    if (/ExperimentalWarning/.test(bare.stderr)) assert.match(bare.stderr, /SQLite is an experimental feature/);
  });
});
