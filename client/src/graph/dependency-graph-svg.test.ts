import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { loadWorkspace, toGraphDetails, toGraphView } from "../../../server/src/analysis/index.js";
import { renderDependencySvg } from "./dependency-graph-svg.js";

const FIXTURES = path.resolve(__dirname, "../../../test-fixtures");

async function view(folder: string, options: Parameters<typeof toGraphView>[1] = {}) {
  const root = path.join(FIXTURES, folder);
  const project = await loadWorkspace([root], { rootDir: root });
  return toGraphView(toGraphDetails(project.analyze(), root), options);
}

test("the SVG draws every node and edge of the view, laid out without overlaps", async () => {
  const v = await view("../examples", { expandedFlows: new Set() });
  const { svg, layout } = renderDependencySvg(v, { focus: "flow:upstream-flow" });
  const drawnNodes = [...svg.matchAll(/<g class="node [^"]*" data-id="([^"]+)" data-file="([^"]+)" data-line="(\d+)"/g)].map((m) => `${m[1]} ${m[2]}:${m[3]}`);
  assert.deepEqual(drawnNodes, v.nodes.map((n) => `${n.id} ${n.file}:${n.line}`));
  assert.equal(svg.match(/<path class="edge /g)?.length, v.edges.length);
  assert.match(svg, /class="node node-flow focus" data-id="flow:upstream-flow"/);
  assert.match(svg, /data-toggle="flow:data-processing-flow"[^>]*>▸ 3 tasks</);
  const boxes = [...layout.nodes.values()];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart = Math.abs(a.x - b.x) * 2 >= a.width + b.width || Math.abs(a.y - b.y) * 2 >= a.height + b.height;
      assert.ok(apart, `${a.id} and ${b.id} overlap`);
    }
  }
});

test("cycle edges carry the cycle class, the error arrow and the diagnostic message", async () => {
  const v = await view("e2e/cycle-workspace");
  const { svg } = renderDependencySvg(v);
  const cycleEdges = [...svg.matchAll(/<path class="edge edge-([a-z-]+) cycle"[^>]*marker-end="url\(#arrow-cycle\)"><title>([^<]*)<\/title>/g)];
  assert.deepEqual(cycleEdges.map((m) => m[1]).sort(), ["subflow", "waits-for"]);
  for (const m of cycleEdges) assert.match(m[2]!, /TRB100: Dependency cycle: ingest → report → ingest\./);
  assert.equal(svg.match(/class="node node-flow cycle"/g)?.length, 2);
});

test("an exported SVG embeds its stylesheet, escaped", async () => {
  const { svg } = renderDependencySvg(await view("e2e/cycle-workspace"), { embeddedStyle: ".edge.cycle { stroke: #f14c4c; } a > b {}" });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<style>\.edge\.cycle \{ stroke: #f14c4c; \} a &gt; b \{\}<\/style>/);
});
