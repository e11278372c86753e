/**
 * Layered layout of a graph with dagre, shared by the dependency graph and the run graph. Pure
 * (no DOM), so it runs in the webview and in the benchmark alike. Node sizes come from the label
 * length: a webview could measure text, but then the layout would differ from Node's.
 */
import dagre from "@dagrejs/dagre";

export interface LayoutNode {
  id: string;
  label: string;
  /** A second line under the label (a task count, a state), if any. */
  detail?: string;
}

export interface LayoutEdge {
  id: string;
  from: string;
  to: string;
}

export interface PlacedNode {
  id: string;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  nodes: Map<string, PlacedNode>;
  /** Points of each edge's polyline, by edge id. */
  edges: Map<string, { x: number; y: number }[]>;
  width: number;
  height: number;
}

const CHAR_WIDTH = 7;
const PADDING = 24;
const LINE_HEIGHT = 18;
const MARGIN = 20;
/**
 * Above this many nodes, ranks come from the longest path instead of network simplex and the
 * crossing-reduction sweeps are cut short: at 1,500 nodes the full treatment takes tens of seconds.
 */
const LARGE = 300;

export function nodeSize(node: LayoutNode): { width: number; height: number } {
  const longest = Math.max(node.label.length, node.detail?.length ?? 0);
  return { width: Math.max(80, Math.ceil(longest * CHAR_WIDTH) + PADDING), height: node.detail === undefined ? 32 : 32 + LINE_HEIGHT - 4 };
}

/** Left to right, like `tributary graph --format dot|mermaid`. */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], rankdir: "LR" | "TB" = "LR"): Layout {
  const g = new dagre.graphlib.Graph({ directed: true, multigraph: true });
  g.setGraph({ rankdir, nodesep: 18, ranksep: 60, edgesep: 8, marginx: MARGIN, marginy: MARGIN, ranker: nodes.length > LARGE ? "longest-path" : "network-simplex" });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, nodeSize(n));
  for (const e of edges) g.setEdge(e.from, e.to, {}, e.id);
  dagre.layout(g, nodes.length > LARGE ? { disableOptimalOrderHeuristic: true } : {});
  const placed = new Map<string, PlacedNode>();
  for (const n of nodes) {
    const { x, y, width, height } = g.node(n.id) as { x: number; y: number; width: number; height: number };
    placed.set(n.id, { id: n.id, x, y, width, height });
  }
  const points = new Map<string, { x: number; y: number }[]>();
  for (const e of edges) {
    const label = g.edge({ v: e.from, w: e.to, name: e.id }) as { points?: { x: number; y: number }[] } | undefined;
    points.set(e.id, label?.points ?? []);
  }
  const graph = g.graph() as { width?: number; height?: number };
  return { nodes: placed, edges: points, width: graph.width ?? 0, height: graph.height ?? 0 };
}

/** An SVG path through the points: straight first and last segments, smooth in between. */
export function edgePath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return "";
  const f = (n: number) => Math.round(n * 10) / 10;
  let d = `M${f(points[0]!.x)},${f(points[0]!.y)}`;
  if (points.length === 2) return `${d} L${f(points[1]!.x)},${f(points[1]!.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const next = points[i + 1]!;
    const end = i === points.length - 2 ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    d += ` Q${f(p.x)},${f(p.y)} ${f(end.x)},${f(end.y)}`;
  }
  return d;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
