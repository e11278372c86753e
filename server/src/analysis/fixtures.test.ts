import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { toCheckJson } from "./format-findings.js";
import { loadWorkspace } from "./load-workspace.js";

// Each directory of test-fixtures/analysis is a small workspace; `expected.json` holds its findings
// as `tributary check --format json` prints them (1-based, files relative to the workspace),
// compared exactly, and `expected-graph.json`, where there is one, its graph as `tributary graph
// --format json` prints it. `UPDATE_GOLDEN=1` rewrites them — then read the diff before committing it.
const FIXTURES = path.resolve(__dirname, "../../../test-fixtures/analysis");
const update = process.env.UPDATE_GOLDEN === "1";

for (const name of readdirSync(FIXTURES).sort()) {
  const dir = path.join(FIXTURES, name);
  const expectedFile = path.join(dir, "expected.json");
  const expectedGraphFile = path.join(dir, "expected-graph.json");
  if (!existsSync(expectedFile) && !update) continue;
  test(`fixture ${name}`, async () => {
    const project = await loadWorkspace([dir], { rootDir: dir });
    const snapshot = project.analyze();
    assert.deepEqual([...project.stats().failures], [], "no file may fail inside the analyser");
    const actual = toCheckJson([...snapshot.findings.values()].flat(), dir);
    if (update) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, "utf8")));
    if (!existsSync(expectedGraphFile)) return;
    const graph = project.getGraphJson();
    if (update) writeFileSync(expectedGraphFile, `${JSON.stringify(graph, null, 2)}\n`);
    assert.deepEqual(graph, JSON.parse(readFileSync(expectedGraphFile, "utf8")));
  });

  // The same workspace saved with Windows line endings: the same findings at the same lines and
  // columns (LSP's, which do not count the CR).
  test(`fixture ${name}, every file with CRLF line endings`, async (t) => {
    const copy = mkdtempSync(path.join(os.tmpdir(), `tributary-crlf-${name}-`));
    t.after(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(dir, copy, { recursive: true, filter: (from) => from !== expectedFile && from !== expectedGraphFile });
    let converted = 0;
    for (const entry of readdirSync(copy, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      const text = readFileSync(file, "utf8");
      if (!text.includes("\n")) continue;
      writeFileSync(file, text.replace(/\r?\n/g, "\r\n"));
      converted++;
    }
    assert.ok(converted > 0, "the fixture has files with line breaks to convert");
    const project = await loadWorkspace([copy], { rootDir: copy });
    const actual = toCheckJson([...project.analyze().findings.values()].flat(), copy);
    assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, "utf8")));
  });
}
