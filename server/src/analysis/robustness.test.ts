import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { createAnalysisProject } from "./analysis-project.js";
import { memoryFileHost } from "./memory-file-host.js";
import { isSourceFile } from "./source-files.js";

const FIXTURES = path.resolve(__dirname, "../../../test-fixtures/analysis");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : isSourceFile(full) ? [full] : [];
  });
}

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ["(", ")", "{", "}", "`", '"', "await ", "flow(", "runDeployment(", "=>", ",", ";", "\n", "if (", "export ", "import {", "${"];

test("thousands of random edits of the fixtures never make analysis throw", () => {
  const files = sourceFiles(FIXTURES);
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  const project = createAnalysisProject({ rootDir: FIXTURES, tsconfig: false, fileHost: memoryFileHost(texts) });
  for (const [file, text] of texts) project.setFileText(file, text);
  project.analyze();
  const next = random(20251125);
  for (let edit = 0; edit < 2000; edit++) {
    const file = files[Math.floor(next() * files.length)]!;
    const text = texts.get(file)!;
    const at = Math.floor(next() * text.length);
    const cut = Math.floor(next() * 12);
    const insert = next() < 0.6 ? SNIPPETS[Math.floor(next() * SNIPPETS.length)]! : "";
    const edited = text.slice(0, at) + insert + text.slice(at + cut);
    texts.set(file, edited);
    project.setFileText(file, edited);
    if (edit % 10 === 0) {
      const snapshot = project.analyze();
      assert.ok(snapshot.findings.size > 0);
    }
  }
  project.analyze();
  assert.deepEqual([...project.stats().failures], [], "every file is analysed on its own terms");
});
