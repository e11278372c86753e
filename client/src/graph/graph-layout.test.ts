import assert from "node:assert/strict";
import { test } from "node:test";
import { layoutGraph, type Layout, type LayoutEdge, type LayoutNode, type PlacedNode } from "./graph-layout.js";

type Box = Pick<PlacedNode, "x" | "y" | "width" | "height">;

const SMALL_NODES: LayoutNode[] = [
  { id: "a", label: "flow: a" },
  { id: "b", label: "task: b", detail: "▸ 2 tasks" },
  { id: "c", label: "flow: c" },
  { id: "d", label: "deployment: d" },
];
const SMALL_EDGES: LayoutEdge[] = [
  { id: "e1", from: "a", to: "b" },
  { id: "e2", from: "a", to: "c" },
  { id: "e3", from: "c", to: "d" },
  { id: "e4", from: "b", to: "d" },
];

/**
 * Folders of small flows like a workspace's: each file a flow calling a task or two, a flow
 * calling a flow in another folder (some back, so the folders' graph has a cycle), and a node
 * without a folder.
 */
function workspaceLike(): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const folders = ["flows/etl", "flows/reports", "flows/ml", "flows/ops", "flows/billing", "flows/x"];
  folders.forEach((folder, f) => {
    for (let i = 0; i < 4 + f; i++) {
      const flow = `flow:${folder}/${i}`;
      nodes.push({ id: flow, label: `flow: ${folder.slice(6)}-${i}`, detail: "▾ 2 tasks", group: folder });
      for (const t of ["extract", "load"].slice(0, 1 + (i % 2))) {
        nodes.push({ id: `task:${folder}/${i}/${t}`, label: `task: ${t}`, group: folder });
        edges.push({ id: `${flow}->${t}`, from: flow, to: `task:${folder}/${i}/${t}` });
      }
      if (i > 0 && i % 3 === 0) edges.push({ id: `${flow}->prev`, from: flow, to: `flow:${folder}/${i - 1}` });
    }
  });
  const across: [string, string][] = [
    ["flow:flows/etl/0", "flow:flows/reports/1"],
    ["flow:flows/etl/2", "flow:flows/reports/0"],
    ["flow:flows/reports/2", "flow:flows/ml/3"],
    ["flow:flows/ml/0", "flow:flows/ops/4"],
    ["flow:flows/etl/1", "flow:flows/ops/0"],
    ["flow:flows/ops/1", "flow:flows/etl/3"],
    ["flow:flows/billing/2", "flow:flows/etl/0"],
    ["flow:flows/x/5", "flow:flows/billing/0"],
    ["flow:flows/x/1", "flow:flows/ops/2"],
    ["automation:lone", "flow:flows/ml/1"],
  ];
  nodes.push({ id: "automation:lone", label: "automation: lone" });
  for (const [from, to] of across) edges.push({ id: `${from}=>${to}`, from, to });
  return { nodes, edges };
}

/**
 * Groups as deep as their inner chains (so a rank of the graph of groups holds boxes of different
 * depths) and edges between groups that skip ranks: routes that cut corners cross other groups.
 */
function unevenGroups(): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const depth = [1, 5, 2, 4, 1, 3, 6, 2];
  depth.forEach((d, g) => {
    for (let i = 0; i < d; i++) {
      nodes.push({ id: `n${g}.${i}`, label: `flow: g${g}-${i}`, group: `flows/g${g}` });
      if (i > 0) edges.push({ id: `e${g}.${i}`, from: `n${g}.${i - 1}`, to: `n${g}.${i}` });
    }
  });
  const across = [[0, 1], [1, 2], [2, 3], [0, 4], [4, 5], [5, 3], [0, 3], [6, 3], [6, 1], [7, 2], [0, 7], [4, 2], [1, 5]] as const;
  for (const [a, b] of across) edges.push({ id: `x${a}-${b}`, from: `n${a}.${depth[a]! - 1}`, to: `n${b}.0` });
  return { nodes, edges };
}

function inside(inner: Box, outer: Box): boolean {
  return Math.abs(inner.x - outer.x) * 2 + inner.width <= outer.width + 1e-6 && Math.abs(inner.y - outer.y) * 2 + inner.height <= outer.height + 1e-6;
}

function apart(a: Box, b: Box): boolean {
  return Math.abs(a.x - b.x) * 2 >= a.width + b.width - 1e-6 || Math.abs(a.y - b.y) * 2 >= a.height + b.height - 1e-6;
}

/** Within `slack` px of the box's outline. */
function onBorder(p: { x: number; y: number }, box: Box, slack = 2): boolean {
  const dx = Math.abs(p.x - box.x) - box.width / 2;
  const dy = Math.abs(p.y - box.y) - box.height / 2;
  return dx <= slack && dy <= slack && (dx >= -slack || dy >= -slack);
}

/** Whether the segment passes through the box's inside (touching its outline is not crossing). */
function segmentCrosses(p: { x: number; y: number }, q: { x: number; y: number }, box: Box): boolean {
  const shrink = 1;
  const [left, right, top, bottom] = [box.x - box.width / 2 + shrink, box.x + box.width / 2 - shrink, box.y - box.height / 2 + shrink, box.y + box.height / 2 - shrink];
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  for (const [d, lo, hi, at] of [[dx, left, right, p.x], [dy, top, bottom, p.y]] as const) {
    if (d === 0) {
      if (at <= lo || at >= hi) return false;
      continue;
    }
    const a = (lo - at) / d;
    const b = (hi - at) / d;
    t0 = Math.max(t0, Math.min(a, b));
    t1 = Math.min(t1, Math.max(a, b));
  }
  return t0 < t1;
}

function groupOf(nodes: readonly LayoutNode[]): Map<string, string | undefined> {
  return new Map(nodes.map((n) => [n.id, n.group]));
}

function serialise(layout: Layout): string {
  return JSON.stringify({ nodes: [...layout.nodes], edges: [...layout.edges], groups: [...layout.groups], width: layout.width, height: layout.height });
}

test("a graph without groups lays out as it did before groups existed, and one group is no grouping", () => {
  const layout = layoutGraph(SMALL_NODES, SMALL_EDGES);
  const round = (n: number) => Math.round(n * 10) / 10;
  assert.deepEqual(
    [...layout.nodes.values()].map((n) => [n.id, n.x, n.y, n.width, n.height]),
    [["a", 60, 64.5, 80, 32], ["b", 203.5, 93, 87, 46], ["c", 203.5, 36, 80, 32], ["d", 364.5, 64.5, 115, 32]],
  );
  assert.deepEqual(layout.edges.get("e3")!.map((p) => [round(p.x), round(p.y)]), [[243.5, 36], [277, 36], [315.4, 48.5]]);
  assert.deepEqual([layout.width, layout.height, layout.groups.size], [442, 136, 0]);
  const oneGroup = layoutGraph(SMALL_NODES.map((n) => ({ ...n, group: "flows" })), SMALL_EDGES);
  assert.equal(serialise(oneGroup), serialise(layout));
});

for (const rankdir of ["LR", "TB"] as const) {
  test(`grouped (${rankdir}): members lie in their group's box below its title band, boxes and nodes do not overlap`, () => {
    const { nodes, edges } = workspaceLike();
    const layout = layoutGraph(nodes, edges, rankdir);
    assert.deepEqual([...layout.groups.keys()], ["flows/etl", "flows/reports", "flows/ml", "flows/ops", "flows/billing", "flows/x"]);
    for (const n of nodes) {
      const placed = layout.nodes.get(n.id)!;
      assert.ok(inside(placed, { x: layout.width / 2, y: layout.height / 2, width: layout.width, height: layout.height }), `${n.id} lies outside the drawing`);
      if (n.group === undefined) continue;
      const box = layout.groups.get(n.group)!;
      assert.ok(inside(placed, box), `${n.id} lies outside ${n.group}`);
      assert.ok(placed.y - placed.height / 2 >= box.y - box.height / 2 + 24, `${n.id} lies in the title band of ${n.group}`);
    }
    const groups = [...layout.groups.values()];
    for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < groups.length; j++) assert.ok(apart(groups[i]!, groups[j]!), `${groups[i]!.id} and ${groups[j]!.id} overlap`);
    const lone = layout.nodes.get("automation:lone")!;
    for (const g of groups) assert.ok(apart(lone, g), `the node without a group overlaps ${g.id}`);
    const placed = [...layout.nodes.values()];
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) assert.ok(apart(placed[i]!, placed[j]!), `${placed[i]!.id} and ${placed[j]!.id} overlap`);
  });

  test(`grouped (${rankdir}): an edge between groups runs from its source node's border to its target node's, around the other groups`, () => {
    for (const [fixture, expected] of [[workspaceLike(), 10], [unevenGroups(), 13]] as const) checkRoutes(fixture, rankdir, expected);
  });
}

function checkRoutes({ nodes, edges }: { nodes: LayoutNode[]; edges: LayoutEdge[] }, rankdir: "LR" | "TB", expectedBetween: number): void {
  const layout = layoutGraph(nodes, edges, rankdir);
  const group = groupOf(nodes);
  let between = 0;
  for (const e of edges) {
    const points = layout.edges.get(e.id)!;
    assert.ok(points.length >= 2, `${e.id} has no route`);
    assert.ok(onBorder(points[0]!, layout.nodes.get(e.from)!), `${e.id} does not start at ${e.from}: ${JSON.stringify(points[0])}`);
    assert.ok(onBorder(points[points.length - 1]!, layout.nodes.get(e.to)!), `${e.id} does not end at ${e.to}: ${JSON.stringify(points[points.length - 1])}`);
    if (group.get(e.from) === group.get(e.to)) continue;
    between++;
    for (const g of layout.groups.values()) {
      if (g.id === group.get(e.from) || g.id === group.get(e.to)) continue;
      for (let i = 1; i < points.length; i++) assert.ok(!segmentCrosses(points[i - 1]!, points[i]!, g), `${e.id} crosses ${g.id}`);
    }
  }
  assert.equal(between, expectedBetween);
}

test("the grouped layout is the same for the same input", () => {
  const { nodes, edges } = workspaceLike();
  assert.equal(serialise(layoutGraph(nodes, edges)), serialise(layoutGraph(structuredClone(nodes), structuredClone(edges))));
});

test("one group beside nodes without one (a folder opened in the overview) is framed", () => {
  const nodes: LayoutNode[] = [...SMALL_NODES.slice(0, 2).map((n) => ({ ...n, group: "flows/etl" })), ...SMALL_NODES.slice(2)];
  const layout = layoutGraph(nodes, SMALL_EDGES);
  assert.deepEqual([...layout.groups.keys()], ["flows/etl"]);
  const frame = layout.groups.get("flows/etl")!;
  for (const id of ["a", "b"]) assert.ok(inside(layout.nodes.get(id)!, frame), `${id} lies in its frame`);
  for (const id of ["c", "d"]) assert.ok(apart(layout.nodes.get(id)!, frame), `${id} lies outside the frame`);
});
