import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { DirectorySummaryCache } from "./directory-summary-cache.js";
import { FactsCache } from "./facts-cache.js";
import { toCheckJson } from "./format-findings.js";
import { loadWorkspace } from "./load-workspace.js";
import { ResolutionCache } from "./resolution-cache.js";

const FIXTURES = path.resolve(__dirname, "../../../test-fixtures/analysis");
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-facts-cache-"));
  made.push(dir);
  return dir;
}

function workspace(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Findings and graph of a workspace, with the three caches in `cacheDir` as the CLI uses them (or none). */
async function check(dir: string, cacheDir?: string) {
  const resolutions = cacheDir === undefined ? undefined : new ResolutionCache(path.join(cacheDir, "resolutions"), dir, undefined);
  const facts = resolutions && new FactsCache(path.join(cacheDir!, "facts"), dir, undefined);
  const summaries = cacheDir === undefined ? undefined : new DirectorySummaryCache(path.join(cacheDir, "summaries"), { readWhenAsked: true });
  const project = await loadWorkspace([dir], { rootDir: dir, summaryCache: summaries, moduleResolver: resolutions?.resolver, factsCache: facts });
  const snapshot = project.analyze();
  await Promise.all([summaries?.flush(), resolutions?.save(), facts?.save()]);
  return { findings: toCheckJson([...snapshot.findings.values()].flat(), dir), graph: project.getGraphJson(), stats: project.stats() };
}

/** Fills the caches, applies `change`, and checks that a warm analysis finds what a cold one does, and differs from before. */
async function afterChange(dir: string, change: () => void) {
  const cacheDir = tempDir();
  const before = await check(dir, cacheDir);
  change();
  const warm = await check(dir, cacheDir);
  const cold = await check(dir);
  assert.deepStrictEqual(warm.findings, cold.findings);
  assert.deepStrictEqual(warm.graph, cold.graph);
  assert.notDeepStrictEqual(cold.findings, before.findings, "the change is one the findings show");
  return warm.stats;
}

const WAITER = 'import { flow, waitForFlow } from "tributaryjs";\nexport const waiter = flow("waiter", async () => {\n  await waitForFlow("load");\n});\n';

describe("the facts cache", () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(`fixture ${name}: a warm analysis takes every file's stored facts and finds what one without caches finds`, async () => {
      const dir = path.join(FIXTURES, name);
      const cacheDir = tempDir();
      const without = await check(dir);
      const cold = await check(dir, cacheDir);
      const warm = await check(dir, cacheDir);
      assert.deepStrictEqual(cold.findings, without.findings);
      assert.deepStrictEqual(warm.findings, without.findings);
      assert.deepStrictEqual(warm.graph, without.graph);
      assert.equal(cold.stats.factsFromCache, 0);
      assert.equal(warm.stats.resolved, 0, "nothing resolved again");
      assert.equal(warm.stats.factsFromCache, cold.stats.resolved);
    });
  }

  it("an imported constants file that changed: the files that read it are resolved again, the others not", async () => {
    const dir = workspace({
      "names.ts": 'export const LOAD = "load";\n',
      "flows.ts": 'import { flow } from "tributaryjs";\nimport { LOAD } from "./names";\nexport const load = flow(LOAD, async () => 1);\n',
      "waiter.ts": WAITER,
    });
    const stats = await afterChange(dir, () => writeFileSync(path.join(dir, "names.ts"), 'export const LOAD = "load-all";\n'));
    assert.equal(stats.resolved, 2, "the constants file and the flow file that imports it");
    assert.equal(stats.factsFromCache, 1, "the waiter, which reads neither");
  });

  it("an imported flow file edited: its importers keep their facts while what they see of it is the same, and are resolved again once it is not", async () => {
    const hub = 'import { flow } from "tributaryjs";\nexport const load = flow("load", async () => 1);\n';
    const dir = workspace({
      "hub.ts": hub,
      "caller.ts": 'import { flow } from "tributaryjs";\nimport { load } from "./hub";\nexport const caller = flow("caller", async () => {\n  await load();\n});\n',
      "waiter.ts": WAITER,
    });
    const cacheDir = tempDir();
    await check(dir, cacheDir);
    writeFileSync(path.join(dir, "hub.ts"), `${hub}// a comment\n`);
    const commented = await check(dir, cacheDir);
    assert.deepStrictEqual(commented.findings, (await check(dir)).findings);
    assert.deepStrictEqual(commented.graph, (await check(dir)).graph);
    assert.deepEqual([commented.stats.resolved, commented.stats.factsFromCache], [1, 2], "the hub only");
    const stats = await afterChange(dir, () => writeFileSync(path.join(dir, "hub.ts"), hub.replace('flow("load"', 'flow("load-all"')));
    assert.deepEqual([stats.resolved, stats.factsFromCache], [2, 1], "the hub and its caller; the waiter reads neither");
  });

  it("a re-exporting file that now re-exports another file: what imports through it is resolved again", async () => {
    const dir = workspace({
      "names-a.ts": 'export const LOAD = "load";\n',
      "names-b.ts": 'export const LOAD = "load-b";\n',
      "names.ts": 'export { LOAD } from "./names-a";\n',
      "flows.ts": 'import { flow } from "tributaryjs";\nimport { LOAD } from "./names";\nexport const load = flow(LOAD, async () => 1);\n',
      "waiter.ts": WAITER,
    });
    const stats = await afterChange(dir, () => writeFileSync(path.join(dir, "names.ts"), 'export { LOAD } from "./names-b";\n'));
    assert.ok(stats.resolved >= 2, "the re-exporting file and the flow file");
    assert.equal(stats.factsFromCache, 1, "the waiter (names-a.ts is read by nothing now, as in a cold run)");
  });

  it("a parameter type file that changed: the flow whose schema it gives, and its callers' checks, are resolved again", async () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, "reach-imported-param-types"), dir, { recursive: true });
    const stats = await afterChange(dir, () => writeFileSync(path.join(dir, "base.ts"), "export interface BaseParams {\n  table?: string;\n  limit?: number;\n}\n"));
    assert.ok(stats.resolved >= 2, "base.ts and the flow file whose schemas read it");
  });

  it("a file an import looked for and did not find, created since: nothing stored about its importer is used", async () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, "reach-imported-param-types"), dir, { recursive: true });
    const stats = await afterChange(dir, () => writeFileSync(path.join(dir, "missing.ts"), "export interface Settings {\n  level: number;\n}\n"));
    assert.ok(stats.resolved >= 1);
  });
});
