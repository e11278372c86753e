import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { toDot } from "../cli/format-dot.js";
import { toMermaid } from "../cli/format-mermaid.js";
import { toGraphDetails } from "./graph-details.js";
import { toGraphView } from "./graph-view-model.js";
import { loadWorkspace } from "./load-workspace.js";

const FIXTURES = path.resolve(__dirname, "../../../test-fixtures");

async function details(folder: string) {
  const root = path.join(FIXTURES, folder);
  const project = await loadWorkspace([root], { rootDir: root });
  return toGraphDetails(project.analyze(), root);
}

describe("the graph view model", () => {
  test("marks the hops of a reported cycle and carries its message", async () => {
    const graph = await details("analysis/run-deployment-cycle");
    const view = toGraphView(graph);
    assert.equal(view.cycles.length, 1);
    assert.equal(view.cycles[0]!.code, "TRB100");
    assert.match(view.cycles[0]!.message, /^Dependency cycle: /);
    const onCycle = view.edges.filter((e) => e.cycles.includes(0)).map((e) => `${e.from} -${e.kind}-> ${e.to}`).sort();
    assert.deepEqual(onCycle, [
      "deployment:downstream-flow/downstream-processing -deployment-of-> flow:downstream-flow",
      "flow:downstream-flow -waits-for-> flow:upstream-flow",
      "flow:upstream-flow -run-deployment-> deployment:downstream-flow/downstream-processing",
    ]);
    assert.ok(view.nodes.find((n) => n.id === "flow:upstream-flow")!.cycles.includes(0));
    assert.ok(view.edges.filter((e) => e.kind === "task").every((e) => e.cycles.length === 0), "task edges are never on a cycle");
  });

  test("marks a trigger loop through an automation as TRB101", async () => {
    const view = toGraphView(await details("analysis/trigger-loop-automation"));
    assert.deepEqual(view.cycles.map((c) => c.code), ["TRB101"]);
    // The automation is a node on the loop: both of its edges are hops of the cycle.
    const triggers = view.edges.filter((e) => e.kind === "triggers").map((e) => `${e.from} -${e.label}-> ${e.to} ${JSON.stringify(e.cycles)}`);
    assert.deepEqual(triggers, ["flow:flow-b -triggers-> automation:rerun-a-after-b [0]", "automation:rerun-a-after-b -runs-> deployment:flow-a/nightly [0]"]);
    assert.deepEqual(view.nodes.find((n) => n.id === "automation:rerun-a-after-b")!.cycles, [0]);
    assert.deepEqual(view.nodes.find((n) => n.id === "automation:disabled-rerun")!.cycles, [], "a disabled automation is a node without edges");
    assert.ok(!view.edges.some((e) => e.from === "automation:disabled-rerun" || e.to === "automation:disabled-rerun"));
  });

  test("draws an automation as a node between its trigger's source and its deployment, and repeated calls as one edge with a count", async () => {
    const graph = await details("analysis/graph-automation-node");
    const view = toGraphView(graph);
    const deployment = 'deployment:report "daily" [v2]/on demand (eu)/a\\b';
    assert.deepEqual(
      view.edges.map((e) => [e.from, e.label, e.to, e.calls, e.file, e.line]),
      [
        ["flow:ingest", "run-deployment (no wait) ×2", deployment, 2, "flows.ts", 10],
        ["flow:ingest", "triggers", "automation:after ingest <ok> #1", 1, "flows.ts", 17],
        ["automation:after ingest <ok> #1", "runs", deployment, 1, "flows.ts", 17],
        [deployment, "deployment-of", 'flow:report "daily" [v2]', 1, "flows.ts", 6],
      ],
    );
    // The details keep one edge per call site and the trigger as flow → deployment (the JSON's shape).
    assert.equal(graph.edges.filter((e) => e.kind === "run-deployment").length, 2);
    assert.deepEqual(graph.edges.filter((e) => e.kind === "triggers").map((e) => [e.from, e.to, e.automation]), [["flow:ingest", deployment, "automation:after ingest <ok> #1"]]);
  });

  test("merges repeated calls: conditional only when every call is, on every cycle of any", () => {
    const at = (line: number, conditional: boolean) => ({ from: "flow:a", to: "flow:b", kind: "subflow" as const, conditional, file: "f.ts", line, column: 3, waiting: true });
    const node = (name: string) => ({ id: `flow:${name}`, kind: "flow" as const, name, file: "f.ts", line: 1 });
    const cycle = { code: "TRB100" as const, severity: "error" as const, message: "Dependency cycle", file: "f.ts", line: 9, hops: [{ file: "f.ts", line: 9, column: 3, message: "hop" }] };
    const view = toGraphView({ root: "/", nodes: [node("a"), node("b")], edges: [at(5, true), at(9, false), at(12, true)], cycles: [cycle] });
    assert.deepEqual(view.edges.map((e) => [e.label, e.calls, e.conditional, e.cycles, e.line]), [["subflow ×3", 3, false, [0], 5]]);
    const guarded = toGraphView({ root: "/", nodes: [node("a"), node("b")], edges: [at(5, true), at(12, true)], cycles: [] });
    assert.deepEqual(guarded.edges.map((e) => [e.label, e.conditional]), [["subflow (conditional) ×2", true]]);
  });

  test("draws no cycle that a suppression comment silenced", async () => {
    const view = toGraphView(await details("analysis/suppression"));
    const self = view.edges.find((e) => e.from === "flow:poller" && e.to === "flow:poller");
    assert.ok(self, "the recursive subflow edge is drawn");
    assert.deepEqual(self.cycles, []);
    assert.deepEqual(view.cycles, []);
  });

  test("styles edges by kind, a fire-and-forget run-deployment apart, conditional ones flagged", async () => {
    const view = toGraphView(await details("../examples"));
    const styleAt = (file: string, line: number) => view.edges.find((e) => e.file === file && e.line === line)?.style;
    assert.equal(styleAt("demo-flow-dependencies.ts", 20), "run-deployment");
    assert.equal(styleAt("demo-flow-dependencies.ts", 25), "run-deployment-no-wait", "fire and forget: another flow (demo-4-events) waits for the run");
    assert.equal(styleAt("demo-flow-dependencies.ts", 15), "subflow");
    assert.equal(styleAt("downstream-flow.ts", 38), "waits-for");
    assert.equal(styleAt("downstream-flow.ts", 66), "triggers");
    assert.deepEqual(view.edges.filter((e) => e.conditional).map((e) => `${e.file}:${e.line}`).sort(), ["advanced-dependencies.ts:45", "advanced-dependencies.ts:45", "advanced-dependencies.ts:69", "downstream-flow.ts:38", "upstream-flow.ts:32"]);
    const waits = toGraphView(await details("analysis/waits-not-loops"));
    const waitsStyleAt = (line: number) => waits.edges.find((e) => e.file === "flows.ts" && e.line === line)?.style;
    assert.equal(waitsStyleAt(6), "run-deployment-no-wait", "fire and forget, never waited for");
    assert.equal(waitsStyleAt(26), "run-deployment", "fire and forget, but waited for later with waitForFlowRun");
    const loop = toGraphView(await details("analysis/trigger-loop-automation"));
    const noWait = loop.edges.find((e) => e.kind === "run-deployment")!;
    assert.equal(noWait.style, "run-deployment-no-wait");
    assert.equal(noWait.label, "run-deployment (no wait)");
  });

  test("folds tasks into their flows unless the flow is expanded", async () => {
    const graph = await details("../examples");
    const folded = toGraphView(graph, { expandedFlows: new Set() });
    assert.equal(folded.nodes.filter((n) => n.kind === "task").length, 0);
    assert.equal(folded.edges.filter((e) => e.kind === "task").length, 0);
    assert.equal(folded.hiddenTasks, graph.nodes.filter((n) => n.kind === "task").length);
    assert.deepEqual(folded.nodes.find((n) => n.id === "flow:data-processing-flow")!.tasks, { count: 3, expanded: false });
    assert.equal(folded.nodes.find((n) => n.id === "flow:orchestrator-flow")!.tasks, undefined, "a flow without tasks has nothing to fold");

    const one = toGraphView(graph, { expandedFlows: new Set(["flow:data-processing-flow"]) });
    assert.deepEqual(one.nodes.filter((n) => n.kind === "task").map((n) => n.name).sort(), ["extract-data", "load-data", "transform-data"]);
    assert.deepEqual(one.nodes.find((n) => n.id === "flow:data-processing-flow")!.tasks, { count: 3, expanded: true });
    assert.equal(toGraphView(graph).hiddenTasks, 0, "every task is drawn by default");
  });

  test("filters by name: the matches and their neighbours, case-insensitively", async () => {
    const graph = await details("../examples");
    const view = toGraphView(graph, { filter: "  UPSTREAM-flow " });
    const matched = view.nodes.filter((n) => n.matched).map((n) => n.id);
    assert.deepEqual(matched, ["deployment:upstream-flow/upstream-data-preparation", "deployment:upstream-flow/upstream-then-downstream", "flow:upstream-flow"]);
    assert.deepEqual(view.nodes.map((n) => n.id).sort(), [
      "automation:downstream-after-upstream",
      "deployment:downstream-flow/downstream-processing",
      "deployment:upstream-flow/upstream-data-preparation",
      "deployment:upstream-flow/upstream-then-downstream",
      "flow:circuit-breaker-flow",
      "flow:demo-4-events",
      "flow:downstream-flow",
      "flow:orchestrator-flow",
      "flow:upstream-flow",
      "task:fetch-source-data",
      "task:validate-data",
    ]);
    assert.ok(view.edges.every((e) => matched.includes(e.from) || matched.includes(e.to)), "only edges touching a match");
    assert.deepEqual(toGraphView(graph, { filter: "no-such-name" }).nodes, []);
    const task = toGraphView(graph, { filter: "extract-data", expandedFlows: new Set() });
    assert.deepEqual(task.nodes.map((n) => n.id).sort(), ["flow:data-processing-flow", "task:extract-data"], "a folded task still answers the filter");
  });
});

/** Mermaid's entity codes back to text, as Mermaid reads a quoted label. */
const fromMermaid = (text: string) => text.replace(/#(quot|lt|gt|35);/g, (_, code: string) => ({ quot: '"', lt: "<", gt: ">", "35": "#" })[code]!);
/** A DOT quoted string's escapes back to text. */
const fromDot = (text: string) => text.replace(/\\(.)/g, "$1");

describe("tributary graph --format mermaid|dot", () => {
  test("draws an automation as a hexagon with its edges, a repeated call once with its count, and escapes every name", async () => {
    const view = toGraphView(await details("analysis/graph-automation-node"));
    const mermaid = toMermaid(view);
    assert.deepEqual(mermaid.split("\n").slice(0, 9), [
      "flowchart LR",
      '  n0{{"automation: after ingest #lt;ok#gt; #35;1"}}',
      '  n1[/"deployment: report #quot;daily#quot; [v2]/on demand (eu)/a\\b"/]',
      '  n2(["flow: ingest"])',
      '  n3(["flow: report #quot;daily#quot; [v2]"])',
      '  n2 -->|"run-deployment (no wait) ×2"| n1',
      '  n2 -->|"triggers"| n0',
      '  n0 -->|"runs"| n1',
      '  n1 -->|"deployment-of"| n3',
    ]);
    const mermaidLabels = [...mermaid.matchAll(/^ {2}n\d+[([{/]+"([^"]*)"/gm)].map((m) => fromMermaid(m[1]!));
    assert.deepEqual(mermaidLabels, view.nodes.map((n) => n.label), "every label reads back as the name");

    const dot = toDot(view);
    assert.match(dot, /^ {2}"automation:after ingest <ok> #1" \[label="automation: after ingest <ok> #1", shape=hexagon, /m);
    assert.match(dot, /^ {2}"flow:ingest" -> "automation:after ingest <ok> #1" \[label="triggers", /m);
    assert.match(dot, /^ {2}"automation:after ingest <ok> #1" -> "deployment:report \\"daily\\" \[v2\]\/on demand \(eu\)\/a\\\\b" \[label="runs", /m);
    assert.match(dot, /^ {2}"flow:ingest" -> "deployment:[^\n]+ \[label="run-deployment \(no wait\) ×2", /m);
    assert.equal(dot.match(/^ {2}"flow:ingest" -> "deployment:/gm)?.length, 1, "two calls, one edge");
    const dotNodes = [...dot.matchAll(/^ {2}"((?:[^"\\]|\\.)+)" \[label="((?:[^"\\]|\\.)+)"/gm)].map((m) => [fromDot(m[1]!), fromDot(m[2]!)]);
    assert.deepEqual(dotNodes, view.nodes.map((n) => [n.id, n.label]), "every id and label reads back as the name");
  });

  test("draws the nodes and edges of the view model of the seed workspace, cycles alike", async () => {
    for (const folder of ["../examples", "e2e/cycle-workspace"]) {
      const view = toGraphView(await details(folder));
      const mermaid = toMermaid(view);
      const ids = new Map<string, string>();
      for (const m of mermaid.matchAll(/^ {2}(n\d+)[([{/]+"([^"]+)"/gm)) ids.set(m[1]!, m[2]!);
      assert.deepEqual([...ids.values()], view.nodes.map((n) => n.label), folder);
      const mermaidEdges = [...mermaid.matchAll(/^ {2}(n\d+) (?:-->|==>|-\.->)\|"([^"]+)"\| (n\d+)$/gm)].map((m) => `${ids.get(m[1]!)} -${m[2]!.replace(/#quot;/g, '"')}-> ${ids.get(m[3]!)}`);
      const label = (id: string) => view.nodes.find((n) => n.id === id)!.label;
      assert.deepEqual(mermaidEdges, view.edges.map((e) => `${label(e.from)} -${e.label}${e.cycles.length > 0 ? " ⟲ cycle" : ""}-> ${label(e.to)}`), folder);

      const dot = toDot(view);
      const dotNodes = [...dot.matchAll(/^ {2}"([^"]+)" \[label="([^"]+)"/gm)].map((m) => m[1]);
      assert.deepEqual(dotNodes, view.nodes.map((n) => n.id), folder);
      const dotEdges = [...dot.matchAll(/^ {2}"([^"]+)" -> "([^"]+)" \[label="((?:[^"\\]|\\.)+)", color="([^"]+)"/gm)].map((m) => `${m[1]} -${m[3]!.replace(/\\"/g, '"')}-> ${m[2]} ${m[4] === "#cf222e"}`);
      assert.deepEqual(dotEdges, view.edges.map((e) => `${e.from} -${e.label}${e.cycles.length > 0 ? " (cycle)" : ""}-> ${e.to} ${e.cycles.length > 0}`), folder);
    }
  });
});
