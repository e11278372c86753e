// The order scripts/run-tests.mjs starts test files in: its longest files first (each a file that
// exists: a renamed one would silently fall back into the walk's order), then the others.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(__dirname, "..");
const list = (...args: string[]) => {
  const result = spawnSync(process.execPath, [path.join(root, "scripts", "run-tests.mjs"), "--list", ...args], { cwd: root, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split("\n");
};
/** The files run-tests.mjs names as its longest, in its order. */
const longest = [...readFileSync(path.join(root, "scripts", "run-tests.mjs"), "utf8").matchAll(/^\s+"([^"]+\.test\.ts)", \/\/ \d+ s$/gm)].map((m) => m[1]!);

describe("run-tests.mjs --list", () => {
  it("starts the longest files first, each of them a test file it found", () => {
    assert.ok(longest.length >= 5, `the list of longest files was read from run-tests.mjs (${longest.length} found)`);
    const files = list();
    assert.deepEqual(files.slice(0, longest.length), longest);
    assert.equal(new Set(files).size, files.length, "no file twice");
  });

  it("keeps that order within what a filter and an exclusion leave", () => {
    const files = list("--exclude", "client/e2e/", "runtime/src/cli/commands/", "runtime/src/package/");
    assert.deepEqual(files.slice(0, 3), ["runtime/src/cli/commands/workers-cluster.test.ts", "runtime/src/package/packed-package.test.ts", "runtime/src/cli/commands/seed-examples.test.ts"]);
    assert.ok(files.every((file) => !file.startsWith("client/e2e/")));
    assert.ok(files.includes("runtime/src/cli/commands/run-command.test.ts"));
  });
});
