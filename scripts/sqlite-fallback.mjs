#!/usr/bin/env node
// The repository's postinstall. The store runs on node:sqlite where Node has it (22.13+, 23.4+, 24)
// and then nothing native is needed: `npm ci` compiles nothing, because the root package.json's
// allowScripts denies better-sqlite3's install script. On a Node without node:sqlite (20, the
// system Node of CI) the store needs better-sqlite3's native module, so this builds that one
// package (`npm rebuild better-sqlite3`: a prebuilt binary when it can be downloaded, else a
// compile with python3, make and g++). Idempotent: a better-sqlite3 that loads is kept.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "..");
const require = createRequire(path.join(root, "package.json"));

/** Whether node:sqlite loads without a flag (its class is DatabaseSync, being renamed Database). */
function hasNodeSqlite() {
  try {
    const sqlite = require("node:sqlite");
    return typeof (sqlite.DatabaseSync ?? sqlite.Database) === "function";
  } catch {
    return false;
  }
}

/** Why the installed better-sqlite3 cannot open a database, or undefined when it can. */
function betterSqlite3Problem() {
  try {
    const Database = require("better-sqlite3");
    new Database(":memory:").close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}

if (hasNodeSqlite()) {
  console.log(`tributary: Node ${process.version} has node:sqlite; better-sqlite3 is not built.`);
  process.exit(0);
}
const problem = betterSqlite3Problem();
if (problem === undefined) process.exit(0);

console.log(`tributary: Node ${process.version} has no node:sqlite, so the store needs better-sqlite3 (${problem}); building it…`);
// npm sets npm_execpath for lifecycle scripts; run by hand, `npm` on the PATH is used.
const npm = process.env.npm_execpath;
const [command, args] = npm !== undefined && npm.endsWith(".js")
  ? [process.execPath, [npm]]
  : [process.platform === "win32" ? "npm.cmd" : "npm", []];
// The one package this names is rebuilt with its install script, which allowScripts otherwise denies.
const result = spawnSync(command, [...args, "rebuild", "better-sqlite3", "--dangerously-allow-all-scripts"], {
  cwd: root,
  stdio: "inherit",
  shell: process.platform === "win32" && npm === undefined,
});
const after = result.status === 0 ? betterSqlite3Problem() : (result.error?.message ?? `npm rebuild exited with ${result.status}`);
if (after !== undefined) {
  console.error(
    `tributary: better-sqlite3 could not be built for Node ${process.version}: ${after}\n` +
      "Use Node 22.13 or newer (the store then runs on node:sqlite and nothing is built), or install python3, make and g++ and run `npm rebuild better-sqlite3 --dangerously-allow-all-scripts`.",
  );
  process.exit(1);
}
console.log("tributary: better-sqlite3 is built.");
