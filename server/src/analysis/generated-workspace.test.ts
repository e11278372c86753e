import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { generateWorkspace } from "../../../test-fixtures/generate-workspace.js";
import { createAnalysisProject } from "./analysis-project.js";
import { memoryFileHost } from "./memory-file-host.js";

test("a generated workspace: every planted cycle and loop is found, nothing else is reported", () => {
  const root = path.resolve("/virtual/generated");
  const { files, planted } = generateWorkspace(260);
  const texts = new Map([...files].map(([relative, text]) => [path.join(root, relative), text]));
  const project = createAnalysisProject({ rootDir: root, fileHost: memoryFileHost(texts) });
  for (const [file, text] of texts) if (file.endsWith(".ts")) project.setFileText(file, text);
  const snapshot = project.analyze();
  const findings = [...snapshot.findings.values()].flat();
  assert.deepEqual([...project.stats().failures], []);
  assert.equal(findings.filter((f) => f.code === "TRB100").length, planted.cycles);
  assert.equal(findings.filter((f) => f.code === "TRB101").length, planted.triggerLoops);
  assert.equal(findings.length, planted.cycles + planted.triggerLoops, findings.map((f) => f.message).join("\n"));
  assert.ok(snapshot.model.nodes.size > 260 * 6);
});
