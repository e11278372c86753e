import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { toCheckJson } from "./format-findings.js";
import { loadWorkspace } from "./load-workspace.js";

// Each directory of test-fixtures/analysis is a small workspace; `expected.json` holds its findings
// as `tributary check --format json` prints them (1-based, files relative to the workspace),
// compared exactly. `UPDATE_GOLDEN=1` rewrites them — then read the diff before committing it.
const FIXTURES = path.resolve(__dirname, "../../../test-fixtures/analysis");
const update = process.env.UPDATE_GOLDEN === "1";

for (const name of readdirSync(FIXTURES).sort()) {
  const dir = path.join(FIXTURES, name);
  const expectedFile = path.join(dir, "expected.json");
  if (!existsSync(expectedFile) && !update) continue;
  test(`fixture ${name}`, async () => {
    const project = await loadWorkspace([dir], { rootDir: dir });
    const snapshot = project.analyze();
    assert.deepEqual([...project.stats().failures], [], "no file may fail inside the analyser");
    const actual = toCheckJson([...snapshot.findings.values()].flat(), dir);
    if (update) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, "utf8")));
  });
}
