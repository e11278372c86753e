import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { loadWorkspace } from "./load-workspace.js";
import { completeNames, declarationsIn, definitionOf, findUpstreamDownstream, nodeAt } from "./queries.js";

const SEED = path.resolve(__dirname, "../../../test-fixtures/analysis/seed-chain");
const file = (name: string) => path.join(SEED, name);
const offsetOf = (name: string, needle: string) => readFileSync(file(name), "utf8").indexOf(needle) + 3;

async function seed() {
  const project = await loadWorkspace([SEED], { rootDir: SEED });
  return project.analyze();
}

test("upstream and downstream of a flow, grouped by node", async () => {
  const snapshot = await seed();
  const { upstream, downstream } = findUpstreamDownstream(snapshot, "flow:upstream-flow");
  assert.deepEqual(
    upstream.map((n) => [n.node.id, n.edges.map((e) => e.kind)]),
    [
      ["deployment:upstream-flow/upstream-data-preparation", ["deployment-of"]],
      ["flow:orchestrator-flow", ["subflow"]],
    ],
  );
  assert.deepEqual(
    downstream.map((n) => [n.node.id, n.edges.map((e) => e.kind)]),
    [
      ["deployment:downstream-flow/downstream-processing", ["run-deployment", "triggers"]],
      ["task:extract", ["task"]],
    ],
  );
  assert.deepEqual(findUpstreamDownstream(snapshot, "flow:nobody"), { upstream: [], downstream: [] });
});

test("nodeAt finds name strings, declarations and call sites", async () => {
  const snapshot = await seed();
  const name = nodeAt(snapshot, file("upstream.ts"), offsetOf("upstream.ts", `"downstream-flow/downstream-processing"`));
  assert.deepEqual(name && [name.role, name.kind, name.nodeId, name.known], ["name", "deployment", "deployment:downstream-flow/downstream-processing", true]);
  const declared = nodeAt(snapshot, file("upstream.ts"), offsetOf("upstream.ts", `"upstream-flow"`));
  assert.deepEqual(declared && [declared.role, declared.nodeId], ["name", "flow:upstream-flow"]);
  const call = nodeAt(snapshot, file("orchestrator.ts"), offsetOf("orchestrator.ts", "upstream({"));
  assert.deepEqual(call && [call.role, call.nodeId], ["call", "flow:upstream-flow"]);
  const body = nodeAt(snapshot, file("upstream.ts"), offsetOf("upstream.ts", "const data"));
  assert.deepEqual(body && [body.role, body.nodeId], ["declaration", "flow:upstream-flow"]);
  assert.equal(nodeAt(snapshot, file("upstream.ts"), 0), undefined);
});

test("definitionOf leads from a name string to the declaration", async () => {
  const snapshot = await seed();
  const [deployment] = definitionOf(snapshot, "downstream-flow/downstream-processing");
  assert.equal(deployment?.kind, "deployment");
  assert.equal(deployment?.at.file, file("downstream.ts"));
  assert.equal(deployment?.at.loc.range.start.line, 9);
  const [flow] = definitionOf(snapshot, "upstream-flow", "flow");
  assert.equal(flow?.nameAt.file, file("upstream.ts"));
  assert.deepEqual(definitionOf(snapshot, "missing"), []);
});

test("completeNames lists every name of a kind, sorted", async () => {
  const snapshot = await seed();
  assert.deepEqual(completeNames(snapshot, "flow").map((c) => c.name), ["downstream-flow", "orchestrator-flow", "upstream-flow"]);
  assert.deepEqual(completeNames(snapshot, "deployment").map((c) => c.name), ["downstream-flow/downstream-processing", "upstream-flow/upstream-data-preparation"]);
});

test("the graph JSON has the shape of DESIGN.md §3, flows with their parameter schema", async () => {
  const project = await loadWorkspace([SEED], { rootDir: SEED });
  const graph = project.getGraphJson();
  assert.deepEqual(graph.nodes.find((n) => n.id === "flow:downstream-flow"), {
    id: "flow:downstream-flow",
    kind: "flow",
    name: "downstream-flow",
    file: "downstream.ts",
    line: 5,
    parameters: { type: "object", properties: { upstreamBatchId: { type: "string" } }, required: ["upstreamBatchId"], additionalProperties: false },
  });
  assert.deepEqual(graph.edges.find((e) => e.kind === "run-deployment"), {
    from: "flow:upstream-flow",
    to: "deployment:downstream-flow/downstream-processing",
    kind: "run-deployment",
    conditional: false,
    file: "upstream.ts",
    line: 9,
  });
  assert.deepEqual(new Set(graph.edges.map((e) => e.kind)), new Set(["task", "subflow", "run-deployment", "triggers", "deployment-of"]));
  assert.equal(project.getGraph().nodeCount(), graph.nodes.length);
});

test("declarationsIn lists a file's flows, deployments and automations for code lenses", async () => {
  const snapshot = await seed();
  const upstream = declarationsIn(snapshot, file("upstream.ts"));
  assert.deepEqual(
    upstream.flows.map((f) => [f.name, f.exportName, f.upstream, f.downstream]),
    [["upstream-flow", "upstream", 2, 2]],
  );
  assert.deepEqual(upstream.deployments.map((d) => [d.name, d.exportName, d.schedules]), [["upstream-flow/upstream-data-preparation", "upstreamDeployment", [{ interval: "2h" }]]]);
  const downstream = declarationsIn(snapshot, file("downstream.ts"));
  assert.deepEqual(downstream.automations.map((a) => [a.name, a.exportName, a.watches, a.runs]), [["downstream-after-upstream", "downstreamAfterUpstream", ["upstream-flow"], ["downstream-flow/downstream-processing"]]]);
  assert.deepEqual(declarationsIn(snapshot, file("nowhere.ts")), { flows: [], deployments: [], automations: [] });
});
