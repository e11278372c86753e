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

test("a parameter type imported from a file that changes: the flow's schema and TRB112 follow the new type", () => {
  const types = path.join(root, "types.ts");
  const base = path.join(root, "base.ts");
  const load = [
    'import { flow, deploy, runDeployment } from "tributaryjs";',
    'import type { LoadParams } from "./types";',
    'export const load = flow("load", async (params: LoadParams) => params);',
    'export const manual = deploy(load, { name: "manual" });',
    'export const caller = flow("caller", async () => { await runDeployment("load/manual", { parameters: { table: "t" } }); });',
    "",
  ].join("\n");
  const files = new Map([
    [flows, load],
    [types, 'import type { BaseParams } from "./base";\nexport interface LoadParams extends BaseParams { mode?: string }\n'],
    [base, "export interface BaseParams { table: string }\n"],
  ]);
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(files) });
  project.setFileText(flows, load);
  assert.deepEqual(project.analyze().findings.get(flows), []);
  const required = () => project.getGraphJson().nodes.find((n) => n.id === "flow:load")?.parameters?.required;
  assert.deepEqual(required(), ["table"]);

  // The base interface, two imports away, now names another required parameter.
  files.set(base, "export interface BaseParams { table: string; owner: string }\n");
  project.refreshFile(base);
  const snapshot = project.analyze();
  assert.deepEqual(snapshot.changedFiles, [flows]);
  assert.deepEqual(required(), ["table", "owner"]);
  assert.deepEqual(snapshot.findings.get(flows)!.map((f) => [f.code, f.message]), [["TRB112", 'Flow "load" requires the parameter "owner", not given here.']]);

  // The same when the types file is one the editor holds (a project file): each edit re-resolves the flow.
  project.setFileText(types, "export interface LoadParams { table: string }\n");
  assert.deepEqual(project.analyze().findings.get(flows), []);
  const before = project.stats();
  project.setFileText(types, "export interface LoadParams { table: string; region: string }\n");
  const edited = project.analyze();
  assert.equal(project.stats().resolved - before.resolved, 2, "the types file and the flow file that imports it");
  assert.deepEqual(edited.changedFiles, [flows]);
  assert.deepEqual(required(), ["table", "region"]);
  assert.deepEqual(edited.findings.get(flows)!.map((f) => f.code), ["TRB112"]);
});
