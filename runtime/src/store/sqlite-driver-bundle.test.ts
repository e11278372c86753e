import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { removeWorkspace } from "../test-support/remove-workspace.js";
import { sqliteDriverProblem } from "./sqlite-driver.js";

const library = path.resolve("runtime/dist/index.js");

/**
 * Runs a flow with the built library copied alone into a folder outside the repository, where no
 * node_modules holds better-sqlite3: what a user has when its optional install did not happen.
 */
function runFlowWithoutBetterSqlite3(): { status: number | null; stdout: string; stderr: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "tributary-no-native-"));
  copyFileSync(library, path.join(dir, "index.js"));
  writeFileSync(
    path.join(dir, "run.js"),
    `const { flow, task } = require("./index.js");
const double = task("double", async (n) => n * 2);
flow("alone", async () => double(21))().then((result) => console.log("result", result));
`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, TRIBUTARY_HOME: path.join(dir, ".tributary") };
  delete env.TRIBUTARY_SQLITE_DRIVER;
  const result = spawnSync(process.execPath, ["run.js"], { cwd: dir, encoding: "utf8", env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir };
}

describe("the built library without better-sqlite3", { skip: existsSync(library) ? false : "runtime/dist/index.js is not built: npm run build" }, () => {
  if (sqliteDriverProblem("node:sqlite") === undefined) {
    it("runs and stores a flow on node:sqlite, printing no warning", async () => {
      const run = runFlowWithoutBetterSqlite3();
      try {
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout, "result 42\n");
        assert.equal(run.stderr, "");
        assert.ok(existsSync(path.join(run.dir, ".tributary", "tributary.db")), "the run was stored");
      } finally {
        await removeWorkspace(run.dir);
      }
    });
  } else {
    it("fails at the first store, saying which Node to use or what to install", async () => {
      const run = runFlowWithoutBetterSqlite3();
      try {
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /SqliteDriverError: Tributary's store needs SQLite, and this Node \(v\d+[.\d]*\) has neither/);
        assert.match(run.stderr, /Run Tributary on Node 22\.13 or newer, or install better-sqlite3 beside tributaryjs/);
        assert.match(run.stderr, /better-sqlite3 is not installed/);
      } finally {
        await removeWorkspace(run.dir);
      }
    });
  }
});
