import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { removeWorkspace } from "../test-support/remove-workspace.js";
import { sqliteDriverProblem } from "./sqlite-driver.js";

// The built package copied into a folder outside the repository, where no node_modules holds
// better-sqlite3: what a user has when the optional dependency was not installed.
const runtimeDir = path.resolve("runtime");
const built = existsSync(path.join(runtimeDir, "dist/index.js")) && existsSync(path.join(runtimeDir, "dist/cli/main.js"));
const hasNodeSqlite = sqliteDriverProblem("node:sqlite") === undefined;

function spawnIn(dir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, TRIBUTARY_HOME: path.join(dir, ".tributary") };
  delete env.TRIBUTARY_SQLITE_DRIVER;
  delete env.TRIBUTARY_API_URL;
  return spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8", env });
}

/** The library alone, and a script that runs a flow with a task on it. */
function libraryAlone(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tributary-no-native-"));
  copyFileSync(path.join(runtimeDir, "dist/index.js"), path.join(dir, "index.js"));
  writeFileSync(
    path.join(dir, "run.js"),
    `const { flow, task } = require("./index.js");
const double = task("double", async (n) => n * 2);
flow("alone", async () => double(21))().then((result) => console.log("result", result));
`,
  );
  return dir;
}

/** The package (dist, bin, package.json) with esbuild, its one required dependency, beside it. */
function packageWithoutBetterSqlite3(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tributary-no-native-cli-"));
  const pkg = path.join(dir, "node_modules", "tributaryjs");
  mkdirSync(pkg, { recursive: true });
  for (const part of ["dist", "bin", "package.json"]) cpSync(path.join(runtimeDir, part), path.join(pkg, part), { recursive: true });
  rmSync(path.join(pkg, "dist", "types"), { recursive: true, force: true });
  symlinkSync(path.resolve("node_modules/esbuild"), path.join(dir, "node_modules", "esbuild"), "dir");
  return dir;
}

describe("the built package without better-sqlite3", { skip: built ? false : "runtime/dist is not built: npm run build" }, () => {
  if (hasNodeSqlite) {
    it("runs and stores a flow on node:sqlite, printing no warning", async () => {
      const dir = libraryAlone();
      try {
        const run = spawnIn(dir, ["run.js"]);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout, "result 42\n");
        assert.equal(run.stderr, "");
        assert.ok(existsSync(path.join(dir, ".tributary", "tributary.db")), "the run was stored");
      } finally {
        await removeWorkspace(dir);
      }
    });

    it("serves the CLI on node:sqlite", async () => {
      const dir = packageWithoutBetterSqlite3();
      try {
        const bin = path.join(dir, "node_modules/tributaryjs/bin/tributary.js");
        const create = spawnIn(dir, [bin, "concurrency-limit", "create", "db", "2"]);
        assert.equal(create.status, 0, create.stderr);
        assert.equal(create.stderr, "");
        const list = spawnIn(dir, [bin, "concurrency-limit", "ls"]);
        assert.match(list.stdout, /^db\s+2\s+0\s/m);
      } finally {
        await removeWorkspace(dir);
      }
    });
  } else {
    it("fails at the first store a flow opens, saying which Node to use or what to install", async () => {
      const dir = libraryAlone();
      try {
        const run = spawnIn(dir, ["run.js"]);
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /SqliteDriverError: Tributary's store needs SQLite, and this Node \(v\d+[.\d]*\) has neither/);
        assert.match(run.stderr, /better-sqlite3 is not installed\)\. Run Tributary on Node 22\.13 or newer, or install better-sqlite3 beside tributaryjs/);
        assert.equal(existsSync(path.join(dir, ".tributary")), false, "nothing was created");
      } finally {
        await removeWorkspace(dir);
      }
    });

    it("has the CLI say so in one line, exit 1, creating nothing", async () => {
      const dir = packageWithoutBetterSqlite3();
      try {
        const create = spawnIn(dir, [path.join(dir, "node_modules/tributaryjs/bin/tributary.js"), "concurrency-limit", "create", "db", "2"]);
        assert.equal(create.status, 1);
        assert.match(create.stderr, /^tributary: Tributary's store needs SQLite, and this Node \(v[\d.]+\) has neither .* Run Tributary on Node 22\.13 or newer, or install better-sqlite3 beside tributaryjs \(npm install better-sqlite3\)\.\n$/);
        assert.equal(create.stdout, "");
        assert.equal(existsSync(path.join(dir, ".tributary")), false, "nothing was created");
      } finally {
        await removeWorkspace(dir);
      }
    });
  }
});
