import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { tributary } from "../test-support/tributary-command.js";

// `tributary check` prints its last result when nothing it rests on changed — without loading the
// TypeScript parser — and analyses again when anything did: a flow file, a file an import reached
// outside the checked folder, a file created where an import looked first, the project config.
// Each time, what it prints is what `--no-cache` prints. The parser's worker thread starts only for
// a file whose summary the cache lacks.
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const NAMES = 'export const TARGET = "nowhere/at-all";\n';
const NAMES_FIXED = 'export const TARGET = "a/nightly";\n';

/**
 * flows/ (checked) runs a deployment named in shared/ (not checked): `../shared/names` resolves to
 * shared/names/index.ts, which names a deployment that does not exist (TRB110).
 */
function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-check-result-"));
  made.push(dir);
  mkdirSync(path.join(dir, "flows"));
  mkdirSync(path.join(dir, "shared", "names"), { recursive: true });
  writeFileSync(path.join(dir, "flows", "a.ts"), 'import { deploy, flow } from "tributaryjs";\nexport const a = flow("a", async () => 1);\nexport const nightly = deploy(a, { name: "nightly" });\n');
  writeFileSync(path.join(dir, "flows", "b.ts"), 'import { flow, runDeployment } from "tributaryjs";\nimport { TARGET } from "../shared/names";\nexport const b = flow("b", async () => {\n  await runDeployment(TARGET);\n});\n');
  writeFileSync(path.join(dir, "shared", "names", "index.ts"), NAMES);
  return dir;
}

const said = (stderr: string, what: RegExp) => what.test(stderr);
const REUSED = /nothing changed since the last check .*the TypeScript parser was not loaded/;

async function check(dir: string, ...flags: string[]) {
  const result = await tributary(["check", "flows", "--format", "json", "--verbose", ...flags], dir);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return result;
}

/** A check with the caches, compared with one without: the same output and exit code. */
async function checkBoth(dir: string) {
  const cached = await check(dir);
  const uncached = await check(dir, "--no-cache");
  assert.equal(cached.stdout, uncached.stdout);
  assert.equal(cached.code, uncached.code);
  return cached;
}

const codes = (stdout: string) => (JSON.parse(stdout) as { code: string }[]).map((f) => f.code).sort();

describe("tributary check: the last result, reused only when nothing it rests on changed", () => {
  it("reuses the result of an unchanged workspace without loading the parser, with the same output and exit code", async () => {
    const dir = workspace();
    const cold = await checkBoth(dir);
    assert.ok(!said(cold.stderr, REUSED));
    assert.deepEqual(codes(cold.stdout), ["TRB110", "TRB150"], "the unknown deployment, and a/nightly that nothing runs");
    const warm = await check(dir);
    assert.ok(said(warm.stderr, REUSED), warm.stderr);
    assert.equal(warm.stdout, cold.stdout);
    assert.equal(warm.code, cold.code);
  });

  it("analyses again after a flow file is edited: one file parsed, the imports as last time", async () => {
    const dir = workspace();
    await check(dir);
    writeFileSync(path.join(dir, "flows", "b.ts"), 'import { flow } from "tributaryjs";\nexport const b = flow("b", async () => 2);\n');
    const edited = await checkBoth(dir);
    assert.ok(!said(edited.stderr, REUSED));
    assert.match(edited.stderr, /summaries: 1 from cache, 1 parsed/, "a's summary from the cache, b parsed (and no longer importing the constants)");
    assert.match(edited.stderr, /imports: resolved as last time/);
    assert.deepEqual(codes(edited.stdout), ["TRB150"]);
    assert.ok(said((await check(dir)).stderr, REUSED), "and reuses that result next");
  });

  it("analyses again when a file outside the checked folder that a flow imports changes", async () => {
    const dir = workspace();
    await check(dir);
    assert.ok(said((await check(dir)).stderr, REUSED));
    writeFileSync(path.join(dir, "shared", "names", "index.ts"), NAMES_FIXED);
    const after = await checkBoth(dir);
    assert.ok(!said(after.stderr, REUSED));
    assert.deepEqual(codes(after.stdout), [], "the constant now names a deployment that exists");
  });

  it("analyses again when a file appears where an import looked first (outside the checked folder)", async () => {
    const dir = workspace();
    const before = await check(dir);
    assert.ok(said((await check(dir)).stderr, REUSED));
    // `../shared/names` now resolves to shared/names.ts, before shared/names/index.ts.
    writeFileSync(path.join(dir, "shared", "names.ts"), NAMES_FIXED);
    const after = await checkBoth(dir);
    assert.ok(!said(after.stderr, REUSED));
    assert.match(after.stderr, /imports: resolved anew/);
    assert.notEqual(after.stdout, before.stdout);
    assert.deepEqual(codes(after.stdout), []);
  });

  it("analyses again when the project config changes what it reports", async () => {
    const dir = workspace();
    await check(dir);
    assert.ok(said((await check(dir)).stderr, REUSED));
    writeFileSync(path.join(dir, "flows", "tributary.config.json"), JSON.stringify({ severity: { TRB110: "off" } }));
    const after = await checkBoth(dir);
    assert.ok(!said(after.stderr, REUSED));
    assert.deepEqual(codes(after.stdout), ["TRB150"]);
    assert.equal(after.code, 0);
  });

  it("starts the parser worker only when a summary is missing: not after a config change, after a flow edit", async () => {
    const dir = workspace();
    await check(dir);
    writeFileSync(path.join(dir, "flows", "tributary.config.json"), JSON.stringify({ severity: { TRB110: "off" } }));
    const configChanged = await check(dir);
    assert.ok(!said(configChanged.stderr, REUSED), "the result missed");
    assert.match(configChanged.stderr, /summaries: \d+ from cache, 0 parsed/);
    assert.match(configChanged.stderr, /no parser worker was started/);
    assert.match(configChanged.stderr, /the TypeScript parser was not loaded/);
    writeFileSync(path.join(dir, "flows", "b.ts"), 'import { flow } from "tributaryjs";\nexport const b = flow("b", async () => 2);\n');
    const edited = await check(dir);
    assert.match(edited.stderr, /a parser worker was started; 1 parsed on it/, edited.stderr);
    assert.deepEqual(codes(edited.stdout), ["TRB150"]);
  });

  it("does not reuse a result another user wrote", async () => {
    const dir = workspace();
    const otherHome = mkdtempSync(path.join(os.tmpdir(), "tributary-other-user-"));
    made.push(otherHome);
    const other = await tributary(["check", "flows", "--format", "json", "--verbose"], dir, { XDG_CACHE_HOME: otherHome });
    assert.ok(!said(other.stderr, REUSED));
    assert.ok(said((await tributary(["check", "flows", "--format", "json", "--verbose"], dir, { XDG_CACHE_HOME: otherHome })).stderr, REUSED));
    const mine = await checkBoth(dir);
    assert.ok(!said(mine.stderr, REUSED), "another user's result is not read");
    assert.equal(mine.stdout, other.stdout);
  });
});
