import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { createAnalysisProject } from "./analysis-project.js";
import { memoryFileHost } from "./memory-file-host.js";

const root = path.resolve("/virtual/refresh");
const flows = path.join(root, "flows.ts");
const names = path.join(root, "names.ts");
const FLOWS = ['import { flow, waitForFlow } from "tributaryjs";', 'import { UPSTREAM } from "./names";', 'export const a = flow("a", async () => ({}));', 'export const b = flow("b", async () => {', "  await waitForFlow(UPSTREAM);", "});", ""].join("\n");

test("a constants file that changed is read again, and what imports it is re-resolved", () => {
  const files = new Map([[flows, FLOWS], [names, 'export const UPSTREAM = "a";\n']]);
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(files) });
  project.setFileText(flows, FLOWS);
  assert.deepEqual(project.analyze().findings.get(flows), []);

  files.set(names, 'export const UPSTREAM = "nobody";\n');
  assert.deepEqual(project.analyze().changedFiles, [], "nothing is read again unasked");
  project.refreshFile(names);
  const snapshot = project.analyze();
  assert.deepEqual(snapshot.changedFiles, [flows]);
  assert.deepEqual(snapshot.findings.get(flows)!.map((f) => f.code), ["TRB111"]);
  assert.equal(project.hasFile(names), false, "it stays a file the project reads, not one it reports on");
});

test("an import that did not resolve resolves once its file appears", () => {
  const files = new Map([[flows, FLOWS]]);
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(files) });
  project.setFileText(flows, FLOWS);
  assert.deepEqual(project.analyze().findings.get(flows)!.map((f) => f.code), ["TRB130"]);
  files.set(names, 'export const UPSTREAM = "a";\n');
  project.refreshFile(names);
  assert.deepEqual(project.analyze().findings.get(flows)!.map((f) => f.code), ["TRB130"], "a change of a file nobody could read is nothing");
  project.refreshFile(names, "created");
  assert.deepEqual(project.analyze().findings.get(flows), []);
  files.delete(names);
  project.refreshFile(names, "deleted");
  assert.deepEqual(project.analyze().findings.get(flows)!.map((f) => f.code), ["TRB130"]);
});
