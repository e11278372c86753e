import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { createAnalysisProject } from "./analysis-project.js";
import { memoryFileHost } from "./memory-file-host.js";

const root = path.resolve("/virtual/workspace");
const at = (name: string) => path.join(root, name);

const FILES: Record<string, string> = {
  "ingest.ts": `import { flow } from "tributaryjs";
import { transform } from "./transform";
export const ingest = flow("ingest", async () => { await transform(); });
`,
  "transform.ts": `import { flow } from "tributaryjs";
import { publish } from "./publish";
export const transform = flow("transform", async () => { await publish(); });
`,
  "publish.ts": `import { flow } from "tributaryjs";
import { ingest } from "./ingest";
export const publish = flow("publish", async () => { await ingest(); });
`,
  "other.ts": `import { flow, runDeployment } from "tributaryjs";
export const other = flow("other", async () => { await runDeployment("nowhere/none"); });
`,
  "lonely.ts": `import { flow } from "tributaryjs";
export const lonely = flow("lonely", async () => 1);
`,
};

/** The project and the "disk" its host reads: files deleted on disk must leave both. */
function setUpWithDisk() {
  const disk = new Map(Object.entries(FILES).map(([name, text]) => [at(name), text]));
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(disk) });
  for (const [file, text] of disk) project.setFileText(file, text);
  return { project, disk };
}

const setUp = () => setUpWithDisk().project;

const codes = (project: ReturnType<typeof setUp>, name: string) => project.getFindings(at(name)).map((f) => f.code);

test("the first analysis parses and resolves every file once", () => {
  const project = setUp();
  const snapshot = project.analyze();
  assert.deepEqual(project.stats().summarized, 5);
  assert.deepEqual(project.stats().resolved, 5);
  assert.deepEqual(snapshot.changedFiles, [at("ingest.ts"), at("other.ts")]);
  assert.deepEqual(codes(project, "ingest.ts"), ["TRB100"]);
  assert.deepEqual(codes(project, "other.ts"), ["TRB110"]);
});

test("an edit inside a body re-parses and re-resolves that file only", () => {
  const project = setUp();
  project.analyze();
  const before = project.stats();
  project.setFileText(at("other.ts"), FILES["other.ts"]!.replace("nowhere/none", "lonely/none"));
  const snapshot = project.analyze();
  assert.equal(project.stats().summarized - before.summarized, 1);
  assert.equal(project.stats().resolved - before.resolved, 1);
  assert.deepEqual(snapshot.changedFiles, [at("other.ts")]);
  assert.match(project.getFindings(at("other.ts"))[0]!.message, /"lonely\/none"/);
});

test("breaking the cycle changes the findings of the file the cycle was reported in, and no other", () => {
  const project = setUp();
  project.analyze();
  project.setFileText(at("publish.ts"), FILES["publish.ts"]!.replace("await ingest();", "return 1;"));
  const snapshot = project.analyze();
  assert.deepEqual(snapshot.changedFiles, [at("ingest.ts")]);
  assert.deepEqual(codes(project, "ingest.ts"), []);
  assert.deepEqual(codes(project, "other.ts"), ["TRB110"]);
});

test("renaming an exported flow re-resolves the files that import it, not the others", () => {
  const project = setUp();
  project.analyze();
  const before = project.stats();
  project.setFileText(at("transform.ts"), FILES["transform.ts"]!.replace("export const transform", "export const renamed"));
  const snapshot = project.analyze();
  assert.equal(project.stats().summarized - before.summarized, 1);
  // transform.ts itself and ingest.ts, which imports it; publish, other and lonely stay as they were.
  assert.equal(project.stats().resolved - before.resolved, 2);
  assert.deepEqual(snapshot.changedFiles, [at("ingest.ts")]);
});

test("setting the same text again costs nothing and changes nothing", () => {
  const project = setUp();
  const first = project.analyze();
  const before = project.stats();
  project.setFileText(at("ingest.ts"), FILES["ingest.ts"]!);
  const again = project.analyze();
  assert.deepEqual(project.stats().summarized, before.summarized);
  assert.deepEqual(again.changedFiles, []);
  assert.equal(again.version, first.version);
});

test("removing a file reports its findings gone and re-checks the files that used it", () => {
  const { project, disk } = setUpWithDisk();
  project.analyze();
  disk.delete(at("publish.ts"));
  project.removeFile(at("publish.ts"));
  const snapshot = project.analyze();
  assert.deepEqual(snapshot.changedFiles, [at("ingest.ts")]);
  assert.equal(project.hasFile(at("publish.ts")), false);
  disk.delete(at("other.ts"));
  project.removeFile(at("other.ts"));
  assert.deepEqual(project.analyze().changedFiles, [at("other.ts")]);
  assert.deepEqual(project.getFindings(at("other.ts")), []);
});

test("adding a file that declares a missing deployment clears the finding that named it", () => {
  const project = setUp();
  project.analyze();
  const before = project.stats();
  project.setFileText(at("nowhere.ts"), `import { flow, deploy } from "tributaryjs";
export const nowhere = flow("nowhere", async () => 0);
export const d = deploy(nowhere, { name: "none", schedule: { interval: 60 } });
`);
  const snapshot = project.analyze();
  assert.equal(project.stats().summarized - before.summarized, 1);
  assert.deepEqual(snapshot.changedFiles, [at("other.ts")]);
});

test("a helper body in another file: its edits reach the flow that uses it", () => {
  const texts = new Map([
    [at("body.ts"), `export async function body({ n }: { n: number }) { await helperTarget(); }\nimport { helperTarget } from "./target";\n`],
    [at("target.ts"), `import { flow } from "tributaryjs";\nexport const helperTarget = flow("target", async () => 1);\n`],
    [at("uses.ts"), `import { flow, runDeployment } from "tributaryjs";\nimport { body } from "./body";\nexport const uses = flow("uses", body);\nexport async function go() { await runDeployment("uses/x", { parameters: { n: "one" } }); }\n`],
  ]);
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(texts) });
  for (const name of ["target.ts", "uses.ts"]) project.setFileText(at(name), texts.get(at(name))!);
  const edges = () => project.analyze().model.edges.map((e) => `${e.from} ${e.kind} ${e.to}`);
  assert.deepEqual(edges(), ["flow:uses subflow flow:target"]);
  assert.deepEqual(project.getGraphJson().nodes.find((n) => n.id === "flow:uses")?.parameters?.properties, { n: { type: "number" } });
  // body.ts is read from the host (it does not import "tributaryjs"); once given, its edits count.
  project.setFileText(at("body.ts"), texts.get(at("body.ts"))!.replace("await helperTarget();", "return n;"));
  assert.deepEqual(edges(), []);
  project.setFileText(at("body.ts"), texts.get(at("body.ts"))!.replace("n: number", "n: string"));
  assert.deepEqual(project.getGraphJson().nodes.find((n) => n.id === "flow:uses")?.parameters?.properties, { n: { type: "string" } });
  assert.deepEqual(edges(), ["flow:uses subflow flow:target"]);
});

test("a file the project was not given, but another imports, counts for the graph and reports nothing", () => {
  const { disk } = setUpWithDisk();
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(disk) });
  project.setFileText(at("ingest.ts"), FILES["ingest.ts"]!);
  const snapshot = project.analyze();
  assert.deepEqual(project.files(), [at("ingest.ts")]);
  assert.deepEqual([...snapshot.findings.keys()], [at("ingest.ts")]);
  // transform.ts and publish.ts were read through the imports, so the cycle is still seen.
  assert.deepEqual(codes(project, "ingest.ts"), ["TRB100"]);
  // Given only publish.ts, the same cycle is reported there, not in a file nobody asked about.
  const publishOnly = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(disk) });
  publishOnly.setFileText(at("publish.ts"), FILES["publish.ts"]!);
  assert.deepEqual(codes(publishOnly, "publish.ts"), ["TRB100"]);
  assert.match(publishOnly.getFindings(at("publish.ts"))[0]!.message, /^Dependency cycle: publish → ingest → transform → publish\./);
});
