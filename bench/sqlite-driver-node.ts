// Which Node runs the engine workload on a given SQLite driver: this one when it can, else a Node
// that scripts/install-node.mjs installed into .cache/node-<major>/ (node:sqlite needs 22.13+,
// and better-sqlite3 in node_modules is built for the Node that ran npm ci), else `node` on the PATH.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { SqliteDriverName } from "../runtime/src/store/sqlite-driver.js";

export interface BenchNode {
  path: string;
  version: string;
}

function candidates(): string[] {
  const cache = path.join(__dirname, "..", ".cache");
  const cached = existsSync(cache)
    ? readdirSync(cache)
        .filter((name) => /^node-\d+$/.test(name))
        .sort((a, b) => Number(b.slice(5)) - Number(a.slice(5)))
        .map((name) => path.join(cache, name, "bin", "node"))
        .filter((file) => existsSync(file))
    : [];
  return [process.execPath, ...cached, "node"];
}

/** The first Node that completes a small run of the workload on `driver`, or undefined. */
export function findNodeForSqliteDriver(driver: SqliteDriverName, workload: string, dir: string): BenchNode | undefined {
  for (const node of candidates()) {
    const probe = spawnSync(node, ["--import", "tsx", workload, "persisted", "10", dir], {
      encoding: "utf8",
      env: { ...process.env, TRIBUTARY_SQLITE_DRIVER: driver },
    });
    if (probe.status !== 0) continue;
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    return { path: node, version };
  }
  return undefined;
}
