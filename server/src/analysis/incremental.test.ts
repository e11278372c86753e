import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { createAnalysisProject } from "./analysis-project.js";
import { memoryFileHost } from "./memory-file-host.js";

const root = path.resolve("/virtual/workspace");
const at = (name: string) => path.join(root, name);

const FILES: Record<string, string> = {
  "ingest.ts": `import { flow } from "tributary";
import { transform } from "./transform";
export const ingest = flow("ingest", async () => { await transform(); });
`,
  "transform.ts": `import { flow } from "tributary";
import { publish } from "./publish";
export const transform = flow("transform", async () => { await publish(); });
`,
  "publish.ts": `import { flow } from "tributary";
import { ingest } from "./ingest";
export const publish = flow("publish", async () => { await ingest(); });
`,
  "other.ts": `import { flow, runDeployment } from "tributary";
export const other = flow("other", async () => { await runDeployment("nowhere/none"); });
`,
  "lonely.ts": `import { flow } from "tributary";
export const lonely = flow("lonely", async () => 1);
`,
};

function setUp() {
  const files = new Map(Object.entries(FILES).map(([name, text]) => [at(name), text]));
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(files) });
  for (const [file, text] of files) project.setFileText(file, text);
  return project;
}

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
  const project = setUp();
  project.analyze();
  project.removeFile(at("publish.ts"));
  const snapshot = project.analyze();
  assert.deepEqual(snapshot.changedFiles, [at("ingest.ts")]);
  assert.equal(project.hasFile(at("publish.ts")), false);
  project.removeFile(at("other.ts"));
  assert.deepEqual(project.analyze().changedFiles, [at("other.ts")]);
  assert.deepEqual(project.getFindings(at("other.ts")), []);
});

test("adding a file that declares a missing deployment clears the finding that named it", () => {
  const project = setUp();
  project.analyze();
  const before = project.stats();
  project.setFileText(at("nowhere.ts"), `import { flow, deploy } from "tributary";
export const nowhere = flow("nowhere", async () => 0);
export const d = deploy(nowhere, { name: "none", schedule: { interval: 60 } });
`);
  const snapshot = project.analyze();
  assert.equal(project.stats().summarized - before.summarized, 1);
  assert.deepEqual(snapshot.changedFiles, [at("other.ts")]);
});
