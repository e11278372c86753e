import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { DirectorySummaryCache, summaryCacheDir } from "./directory-summary-cache.js";
import { toCheckJson } from "./format-findings.js";
import { loadWorkspace } from "./load-workspace.js";
import { summarizeFile } from "./summarize-file.js";

const FIXTURES = path.resolve(__dirname, "../../../test-fixtures/analysis");
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-summary-cache-"));
  made.push(dir);
  return dir;
}

/** Findings and graph of a fixture, with the cache given (or none), and how many files were parsed. */
async function check(dir: string, cache: DirectorySummaryCache | undefined) {
  const project = await loadWorkspace([dir], { rootDir: dir, summaryCache: cache });
  const snapshot = project.analyze();
  await cache?.flush();
  return { findings: toCheckJson([...snapshot.findings.values()].flat(), dir), graph: project.getGraphJson(), stats: project.stats(), files: project.files().length };
}

const A = 'import { flow } from "tributaryjs";\nexport const a = flow("a", async () => 1);\n';

/** Writes the entry of A's summary into the cache folder `dir`. */
async function storeSummaryOfA(dir: string): Promise<void> {
  const first = new DirectorySummaryCache(dir);
  await first.load([{ file: "/w/a.ts", text: A }]);
  first.put("/w/a.ts", A, summarizeFile("/w/a.ts", A));
  await first.flush();
}

describe("the summary cache on disk", () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(`fixture ${name}: the same findings and graph cold, warm and without a cache`, async () => {
      const dir = path.join(FIXTURES, name);
      const cacheDir = tempDir();
      const without = await check(dir, undefined);
      const cold = await check(dir, new DirectorySummaryCache(cacheDir));
      const warm = await check(dir, new DirectorySummaryCache(cacheDir));
      assert.deepStrictEqual(cold.findings, without.findings);
      assert.deepStrictEqual(warm.findings, without.findings);
      assert.deepStrictEqual(warm.graph, without.graph);
      assert.equal(cold.stats.fromCache, 0);
      // The files it was given come from the cache; files read beyond them (a const file it imports) are parsed.
      assert.equal(warm.stats.fromCache, warm.files);
      assert.equal(warm.stats.summarized, without.stats.summarized - warm.files);
    });
  }

  it("answers only texts it was loaded with, and writes only those", async () => {
    const dir = tempDir();
    const cache = new DirectorySummaryCache(dir);
    cache.put("/w/a.ts", A, summarizeFile("/w/a.ts", A));
    await cache.flush();
    assert.deepEqual(readdirSync(dir), [], "an editor's text, never loaded, is not written");
    await cache.load([{ file: "/w/a.ts", text: A }]);
    assert.equal(cache.get("/w/a.ts", A), undefined);
    cache.put("/w/a.ts", A, summarizeFile("/w/a.ts", A));
    await cache.flush();
    assert.equal(readdirSync(dir).length, 1);
    const again = new DirectorySummaryCache(dir);
    await again.load([{ file: "/w/b.ts", text: A }]);
    assert.deepStrictEqual(again.get("/w/b.ts", A), summarizeFile("/w/b.ts", A), "one entry serves every file of that text");
    assert.equal(again.get("/w/b.ts", `${A}\n`), undefined);
    await again.load([{ file: "/w/b.tsx", text: A }]);
    assert.equal(again.get("/w/b.tsx", A), undefined, "another script kind is another key");
  });

  it("treats a truncated, corrupt or foreign entry as a miss and writes it again", async () => {
    const dir = tempDir();
    await storeSummaryOfA(dir);
    const [entry] = readdirSync(dir);
    const file = path.join(dir, entry!);
    const whole = readFileSync(file, "utf8");
    const newline = whole.indexOf("\n");
    const header = JSON.parse(whole.slice(0, newline)) as Record<string, unknown>;
    const damaged = [
      "",
      whole.slice(0, whole.length - 7),
      whole.slice(0, newline),
      whole.replace('"tributaryjs"', '"tributaryjz"'),
      `${JSON.stringify({ ...header, version: 999 })}${whole.slice(newline)}`,
      `${JSON.stringify({ ...header, key: "0".repeat(64) })}${whole.slice(newline)}`,
      "not json at all\n{}",
    ];
    for (const text of damaged) {
      writeFileSync(file, text);
      const cache = new DirectorySummaryCache(dir);
      await cache.load([{ file: "/w/a.ts", text: A }]);
      assert.equal(cache.get("/w/a.ts", A), undefined, JSON.stringify(text.slice(0, 80)));
      cache.put("/w/a.ts", A, summarizeFile("/w/a.ts", A));
      await cache.flush();
      assert.equal(readFileSync(file, "utf8"), whole, "written again whole");
    }
  });

  it("removes the entries this run did not use once the folder holds more than four times its texts", async () => {
    const dir = tempDir();
    const texts = Array.from({ length: 12 }, (_, i) => ({ file: `/w/f${i}.ts`, text: `${A}// ${i}\n` }));
    const fill = new DirectorySummaryCache(dir, { minEntries: 0 });
    await fill.load(texts);
    for (const { file, text } of texts) fill.put(file, text, summarizeFile(file, text));
    await fill.flush();
    assert.equal(readdirSync(dir).length, 12);
    const few = new DirectorySummaryCache(dir, { minEntries: 0 });
    await few.load(texts.slice(0, 3));
    await few.flush();
    assert.equal(readdirSync(dir).length, 12, "12 entries is not more than 4 × 3");
    const two = new DirectorySummaryCache(dir, { minEntries: 0 });
    await two.load(texts.slice(0, 2));
    await two.flush();
    assert.equal(readdirSync(dir).length, 2, "only the two this run used are left");
    const kept = new DirectorySummaryCache(dir);
    await kept.load(texts.slice(0, 2));
    assert.ok(kept.get("/w/f0.ts", texts[0]!.text) && kept.get("/w/f1.ts", texts[1]!.text));
  });

  it("lives in .tributary/cache/summaries under the workspace", () => {
    assert.equal(summaryCacheDir("/repo"), path.join("/repo", ".tributary", "cache", "summaries"));
  });

  it("says which loaded texts have no entry; a summary provided for one (parsed on a worker) is answered as is and written", async () => {
    const dir = tempDir();
    const B = 'import { flow } from "tributaryjs";\nexport const b = flow("b", async () => 2);\n';
    await storeSummaryOfA(dir);

    const cache = new DirectorySummaryCache(dir);
    await cache.load([
      { file: "/w/a.ts", text: A },
      { file: "/w/b.ts", text: B },
    ]);
    assert.deepEqual(cache.missing(), [{ file: "/w/b.ts", text: B }]);
    const parsed = summarizeFile("/w/b.ts", B);
    cache.provide("/w/b.ts", B, parsed);
    assert.deepEqual(cache.missing(), []);
    assert.deepEqual(cache.get("/w/b.ts", B), parsed);
    // Decoded ahead of the analysis: the same summaries as decoded on demand, under each file's name.
    cache.decodeLoaded();
    assert.deepEqual(cache.get("/elsewhere/a.ts", A), summarizeFile("/elsewhere/a.ts", A));
    assert.equal(await cache.flush(), 1, "the provided summary is written");

    const next = new DirectorySummaryCache(dir);
    await next.load([{ file: "/w/b.ts", text: B }]);
    assert.deepEqual(next.missing(), []);
    assert.deepEqual(next.get("/w/b.ts", B), parsed);
  });

  it("with readOnDemand, answers and keeps texts it was not loaded with (a file the check reads as it goes)", async () => {
    const dir = tempDir();
    const cache = new DirectorySummaryCache(dir, { readOnDemand: true });
    assert.equal(cache.get("/w/a.ts", A), undefined);
    cache.put("/w/a.ts", A, summarizeFile("/w/a.ts", A));
    assert.equal(await cache.flush(), 1);
    const next = new DirectorySummaryCache(dir, { readOnDemand: true });
    assert.deepEqual(next.get("/w/a.ts", A), summarizeFile("/w/a.ts", A));
  });

  it("with readWhenAsked, learns from one listing which texts have no entry, and reads an entry only when its text is asked for", async () => {
    const dir = tempDir();
    const B = 'import { flow } from "tributaryjs";\nexport const b = flow("b", async () => 2);\n';
    await storeSummaryOfA(dir);

    let misses = 0;
    const cache = new DirectorySummaryCache(dir, { readWhenAsked: true, onFirstMiss: () => misses++ });
    await cache.load([
      { file: "/w/a.ts", text: A },
      { file: "/w/b.ts", text: B },
    ]);
    assert.equal(misses, 1, "the text without an entry is a miss at load");
    assert.deepEqual(cache.missing(), [{ file: "/w/b.ts", text: B }]);
    // a.ts's entry was not read at load: spoiled now, it is a miss when asked for.
    const [entry] = readdirSync(dir).filter((name) => name.endsWith(".json"));
    writeFileSync(path.join(dir, entry!), "spoiled");
    assert.equal(cache.get("/w/a.ts", A), undefined);
    assert.equal(new DirectorySummaryCache(dir, { readWhenAsked: true }).get("/w/b.ts", B), undefined);
  });
});
