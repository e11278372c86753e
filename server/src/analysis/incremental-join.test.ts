import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { createAnalysisProject, type AnalysisProject } from "./analysis-project.js";
import { memoryFileHost } from "./memory-file-host.js";

const root = path.resolve("/virtual/join");
const at = (name: string) => path.join(root, name);

const START: Record<string, string> = {
  "a.ts": `import { flow, deploy, waitForFlow } from "tributaryjs";
export const a1 = flow("a1", async () => { await waitForFlow("b"); });
export const a2 = flow("a2", async () => 1);
export const daily = deploy(a1, { name: "daily" });
export const weekly = deploy(a2, { name: "weekly" });
`,
  "b.ts": `import { flow, runDeployment } from "tributaryjs";
import { a2 } from "./a";
export const b = flow("b", async () => { await a2(); await runDeployment("a1/daily"); await runDeployment("a2/weekly"); });
`,
  "c.ts": `import { flow, task, automation } from "tributaryjs";
import { shared } from "./h";
const step = task("step", async () => 1);
async function helper() { await step(); }
export const c = flow("c", async () => { await helper(); await shared(); });
export const auto = automation({ name: "auto", trigger: { match: "a*", expect: ["Completed"] }, actions: [{ runDeployment: "a1/daily" }] });
`,
  "d.ts": `import { flow } from "tributaryjs";\nexport const bb = flow("x1", async () => 1);\n`,
  "h.ts": `import { task } from "tributaryjs";
const load = task("load", async () => 1);
export async function shared() { await load(); }
`,
};

/** Each edit: a file and what it becomes (undefined removes it). */
const EDITS: [string, (text: string | undefined) => string | undefined][] = [
  ["a.ts", (t) => t!.replace('waitForFlow("b")', 'waitForFlow("bb")')], // unknown flow
  ["d.ts", (t) => t!.replace('flow("x1"', 'flow("bd"')], // another name to suggest
  ["d.ts", (t) => t!.replace('flow("bd"', 'flow("bb"')], // now it exists
  ["b.ts", (t) => t!.replace(' await runDeployment("a2/weekly");', "")], // nothing runs a2/weekly
  ["c.ts", (t) => t!.replace(" await shared();", "")], // the helper in h.ts is reached by no flow
  ["a.ts", (t) => t!.replace('waitForFlow("bb")', 'waitForFlow("b")')], // back: a1 → b, b runs a1/daily: a cycle
  ["b.ts", (t) => t!.replace("await runDeployment", "// tributary-ignore-next-line\n  await runDeployment")],
  ["a.ts", (t) => t!.replace('flow("a1"', 'flow("a9"')], // renamed: the deployment's flow is gone
  ["d.ts", (t) => t!.replace('flow("bb"', 'flow("a2"')], // a duplicate flow name
  ["c.ts", (t) => t!.replace("await helper();", "return 1;")], // the helper is reached by no flow
  ["a.ts", (t) => t!.replace('flow("a9"', 'flow("a1"')],
  ["d.ts", () => undefined],
  ["c.ts", (t) => t!.replace('match: "a*"', 'match: "zz*"')], // a pattern nothing fits
  ["a.ts", (t) => `${t!}export const zz = flow("zz1", async () => 1);\n`], // now one fits
  ["e.ts", () => `import { flow, deploy, runDeployment } from "tributaryjs";\nexport const e = flow("e", async () => { await runDeployment("e/none"); });\nexport const d = deploy(e, { name: "other" });\n`],
  ["e.ts", (t) => t!.replace('"e/none"', '"e/other"')],
  ["c.ts", (t) => t!.replace("return 1;", "await helper();")],
  ["b.ts", () => undefined],
  ["a.ts", (t) => t!.replace('name: "daily"', 'name: "daily", schedule: { interval: 60 }')],
];

function projectOf(texts: ReadonlyMap<string, string>): AnalysisProject {
  const project = createAnalysisProject({ rootDir: root, tsconfig: false, fileHost: memoryFileHost(new Map(texts)) });
  for (const [file, text] of texts) project.setFileText(file, text);
  return project;
}

/** What a snapshot says, in a form two projects can be compared by. */
function outcome(project: AnalysisProject) {
  const snapshot = project.analyze();
  return { findings: [...snapshot.findings].sort(([a], [b]) => (a < b ? -1 : 1)), graph: project.getGraphJson(), edges: snapshot.model.edges, flows: [...snapshot.model.flows.keys()], deployments: [...snapshot.model.deployments.keys()] };
}

test("after each edit, the incremental analysis finds what a fresh analysis of the same texts finds", () => {
  const texts = new Map(Object.entries(START).map(([name, text]) => [at(name), text]));
  const project = projectOf(texts);
  assert.deepEqual(outcome(project), outcome(projectOf(texts)));
  const codesSeen = new Set<string>();
  for (const [name, edit] of EDITS) {
    const text = edit(texts.get(at(name)));
    if (text === undefined) {
      texts.delete(at(name));
      project.removeFile(at(name));
    } else {
      texts.set(at(name), text);
      project.setFileText(at(name), text);
    }
    const incremental = outcome(project);
    assert.deepEqual(incremental, outcome(projectOf(texts)), `after editing ${name}`);
    for (const [, list] of incremental.findings) for (const f of list) codesSeen.add(f.code);
  }
  // The sequence is worth something only if it made the findings it means to test.
  for (const code of ["TRB100", "TRB110", "TRB111", "TRB113", "TRB140", "TRB150"]) assert.ok(codesSeen.has(code), `${code} was never found: ${[...codesSeen].join(", ")}`);
});

test("an edit inside one file's body joins only that file again: the other files' edges are the same objects", () => {
  const texts = new Map(Object.entries(START).map(([name, text]) => [at(name), text]));
  const project = projectOf(texts);
  const before = project.analyze().model.edges;
  project.setFileText(at("a.ts"), START["a.ts"]!.replace('waitForFlow("b")', 'waitForFlow("bb")'));
  const after = project.analyze().model.edges;
  const untouched = (edges: typeof before) => edges.filter((e) => e.at.file !== at("a.ts"));
  assert.ok(untouched(after).length > 0);
  untouched(after).forEach((edge, i) => assert.equal(edge, untouched(before)[i]));
});
