// What `npm ci` runs: npm 11 runs a dependency's install script only when the root package.json's
// allowScripts allows it. On Node ≥ 22 nothing may be compiled (the store is on node:sqlite), so
// every dependency with an install script is named there, and the only one allowed is esbuild's,
// which checks its platform binary and compiles nothing. better-sqlite3 is built by the
// repository's postinstall (scripts/sqlite-fallback.mjs) only where Node has no node:sqlite.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(__dirname, "..");
const load = createRequire(path.join(root, "package.json"));
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { allowScripts: Record<string, boolean>; scripts: Record<string, string> };
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
/** Install scripts that build nothing: esbuild's postinstall only checks that its platform package is there. */
const RUN_AT_INSTALL = new Set(["esbuild"]);

const packageName = (lockPath: string) => lockPath.slice(lockPath.lastIndexOf("node_modules/") + "node_modules/".length);

describe("install scripts", () => {
  const withScripts = Object.entries(lock.packages)
    .filter(([lockPath, entry]) => lockPath !== "" && entry.hasInstallScript === true)
    .map(([lockPath]) => packageName(lockPath));

  it("are each allowed or denied by name in allowScripts, and only esbuild's runs", () => {
    assert.ok(withScripts.includes("better-sqlite3"), "the lock has better-sqlite3 with its install script");
    for (const name of withScripts) {
      assert.equal(typeof manifest.allowScripts[name], "boolean", `${name} has an install script: name it in allowScripts`);
      assert.equal(manifest.allowScripts[name], RUN_AT_INSTALL.has(name), `${name}'s install script ${RUN_AT_INSTALL.has(name) ? "runs" : "is denied"} at npm ci`);
    }
  });

  it("leave better-sqlite3 to the postinstall, which builds it only where Node has no node:sqlite", () => {
    assert.equal(manifest.scripts.postinstall, "node scripts/sqlite-fallback.mjs");
    const result = spawnSync(process.execPath, [path.join(root, "scripts/sqlite-fallback.mjs")], { cwd: root, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    let hasNodeSqlite = true;
    try {
      load("node:sqlite");
    } catch {
      hasNodeSqlite = false;
    }
    if (hasNodeSqlite) {
      assert.match(result.stdout, /has node:sqlite; better-sqlite3 is not built/);
    } else {
      // This Node needs better-sqlite3, which npm ci's postinstall built: a second run keeps it.
      assert.equal(result.stdout, "");
      const Database = load("better-sqlite3") as typeof import("better-sqlite3");
      assert.equal((new Database(":memory:").prepare("select 1 as one").get() as { one: number }).one, 1);
    }
  });
});
