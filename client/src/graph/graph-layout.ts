/**
 * Layered layout of a graph with dagre, shared by the dependency graph and the run graph. Pure
 * (no DOM), so it runs in the webview and in the benchmark alike. Node sizes come from the label
 * length: a webview could measure text, but then the layout would differ from Node's.
 */
import dagre, { type graphlib } from "@dagrejs/dagre";

export interface LayoutNode {
  id: string;
  label: string;
  /** A second line under the label (a task count, a state), if any. */
  detail?: string;
  /** The cluster the node is drawn in (the folder of its source file); see {@link layoutGraph}. */
  group?: string;
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

/** The box drawn around a group's members, its title in the band at its top. */
export interface PlacedGroup {
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
  edges: Map<string, Point[]>;
  /** By group name, in the order groups first appear among the nodes; empty when not grouped. */
  groups: Map<string, PlacedGroup>;
  width: number;
  height: number;
}

interface Point {
  x: number;
  y: number;
}

interface Sized {
  id: string;
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
/** Space between a group's frame and its members. */
const GROUP_PADDING = 12;
/** The band at the top of a group's frame that holds its title. */
const TITLE_HEIGHT = 24;
/** Space between the connected parts packed inside a group: more than `nodesep`, so parts read apart. */
const PART_GAP = 36;
/** A group of one connected part this large or larger gets dagre's crossing-reduction sweeps. */
const SWEEP_FROM = 20;

export function nodeSize(node: LayoutNode): { width: number; height: number } {
  const longest = Math.max(node.label.length, node.detail?.length ?? 0);
  return { width: Math.max(80, Math.ceil(longest * CHAR_WIDTH) + PADDING), height: node.detail === undefined ? 32 : 32 + LINE_HEIGHT - 4 };
}

/**
 * Left to right, like `tributary graph --format dot|mermaid`.
 *
 * When the nodes name at least 2 groups, or one group beside nodes without one (a folder opened
 * in the overview), each group is laid out on its own and the groups are
 * then placed as the nodes of a graph of groups (see `layoutGroups`). That is done whatever the
 * graph's size: giving groups asks for frames, and frames that came and went as a filter moved
 * the node count across a threshold would be harder to read than either layout. It is also the
 * cheaper layout: dagre's cost grows faster than linearly, and 20 layouts of 180 nodes take a
 * fraction of one of 3,600. A node without a group is placed on its own among the groups.
 */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], rankdir: "LR" | "TB" = "LR"): Layout {
  const groupNames = new Set(nodes.flatMap((n) => (n.group === undefined ? [] : [n.group])));
  if (groupNames.size >= 2 || (groupNames.size === 1 && nodes.some((n) => n.group === undefined))) return layoutGroups(nodes, edges, rankdir);
  const plain = runDagre(nodes.map((n) => ({ id: n.id, ...nodeSize(n) })), edges, rankdir, MARGIN);
  return { ...plain, groups: new Map() };
}

interface DagreLayout {
  nodes: Map<string, PlacedNode>;
  edges: Map<string, Point[]>;
  width: number;
  height: number;
}

/** `sweeps: false` keeps dagre's first ordering of each rank (depth first), as above {@link LARGE} nodes. */
function runDagre(nodes: readonly Sized[], edges: readonly LayoutEdge[], rankdir: "LR" | "TB", margin: number, sweeps = true): DagreLayout {
  const g = new dagre.graphlib.Graph({ directed: true, multigraph: true });
  g.setGraph({ rankdir, nodesep: 18, ranksep: 60, edgesep: 8, marginx: margin, marginy: margin, ranker: nodes.length > LARGE ? "longest-path" : "network-simplex" });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of edges) g.setEdge(e.from, e.to, {}, e.id);
  dagre.layout(g, nodes.length > LARGE || !sweeps ? { customOrder: depthFirstOrder } : {});
  const placed = new Map<string, PlacedNode>();
  for (const n of nodes) {
    const { x, y, width, height } = g.node(n.id) as { x: number; y: number; width: number; height: number };
    placed.set(n.id, { id: n.id, x, y, width, height });
  }
  const points = new Map<string, Point[]>();
  for (const e of edges) {
    const label = g.edge({ v: e.from, w: e.to, name: e.id }) as { points?: Point[] } | undefined;
    points.set(e.id, label?.points ?? []);
  }
  const graph = g.graph() as { width?: number; height?: number };
  return { nodes: placed, edges: points, width: graph.width ?? 0, height: graph.height ?? 0 };
}

/**
 * dagre's first ordering of each rank, which is all `disableOptimalOrderHeuristic` keeps: nodes in
 * the order a depth-first walk from the lowest rank meets them. Given as `customOrder` because dagre
 * builds the layer graphs for its sweeps before it reads that flag (a fifth of a grouped layout's
 * time). The result is the same.
 */
function depthFirstOrder(g: graphlib.Graph): void {
  const next = new Map<number, number>();
  const seen = new Set<string>();
  const rankOf = (v: string) => (g.node(v) as { rank: number }).rank;
  const visit = (v: string): void => {
    if (seen.has(v)) return;
    seen.add(v);
    const rank = rankOf(v);
    const order = next.get(rank) ?? 0;
    (g.node(v) as { order: number }).order = order;
    next.set(rank, order + 1);
    for (const w of g.successors(v) ?? []) visit(w);
  };
  const simple = g.nodes().filter((v: string) => g.children(v).length === 0);
  for (const v of simple.sort((a: string, b: string) => rankOf(a) - rankOf(b))) visit(v);
}

/**
 * A group, or a node without one, as one box of the graph of groups: its members laid out inside
 * it, their positions relative to the box's top left corner.
 */
interface Unit {
  id: string;
  /** The group's name; undefined for a lone node, which gets no frame. */
  group: string | undefined;
  inner: DagreLayout;
  width: number;
  height: number;
}

function layoutGroups(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], rankdir: "LR" | "TB"): Layout {
  const unitOf = new Map<string, string>();
  const members = new Map<string, LayoutNode[]>();
  for (const n of nodes) {
    // Prefixed, so that a group may share its name with a node's id.
    const key = n.group === undefined ? `node\0${n.id}` : `group\0${n.group}`;
    unitOf.set(n.id, key);
    const list = members.get(key);
    if (list === undefined) members.set(key, [n]);
    else list.push(n);
  }
  const inside = new Map<string, LayoutEdge[]>();
  const between = new Map<string, LayoutEdge>();
  for (const e of edges) {
    const from = unitOf.get(e.from);
    const to = unitOf.get(e.to);
    if (from === undefined || to === undefined) continue;
    if (from === to) {
      const list = inside.get(from);
      if (list === undefined) inside.set(from, [e]);
      else list.push(e);
    } else if (!between.has(pairKey(from, to))) between.set(pairKey(from, to), { id: pairKey(from, to), from, to });
  }
  const units = [...members].map(([key, list]) => layoutUnit(key, list, inside.get(key) ?? [], rankdir));
  const outer = runDagre(units, [...between.values()], rankdir, MARGIN);

  const placed = new Map<string, PlacedNode>();
  const points = new Map<string, Point[]>();
  const groups = new Map<string, PlacedGroup>();
  const boxes = new Map<string, Frame>();
  for (const unit of units) {
    const box = outer.nodes.get(unit.id)!;
    boxes.set(unit.id, { ...box, titled: unit.group !== undefined });
    if (unit.group !== undefined) groups.set(unit.group, { ...box, id: unit.group });
    const left = box.x - box.width / 2;
    const top = box.y - box.height / 2;
    for (const n of unit.inner.nodes.values()) placed.set(n.id, { ...n, x: n.x + left, y: n.y + top });
    for (const [id, route] of unit.inner.edges) points.set(id, route.map((p) => ({ x: p.x + left, y: p.y + top })));
  }
  const rankExtent = rankExtents([...boxes.values()], rankdir);
  for (const e of edges) {
    const from = unitOf.get(e.from);
    const to = unitOf.get(e.to);
    if (from === to && from !== undefined) continue; // laid out with its group
    if (from === undefined || to === undefined) {
      points.set(e.id, []);
      continue;
    }
    const route = groupRoute(outer.edges.get(pairKey(from, to)) ?? [], boxes.get(from)!, boxes.get(to)!, rankExtent, rankdir);
    points.set(e.id, joinNodes(placed.get(e.from)!, route, placed.get(e.to)!));
  }
  return { nodes: placed, edges: points, groups, width: outer.width, height: outer.height };
}

function pairKey(from: string, to: string): string {
  return `${from}\0\0${to}`;
}

/** Lays out a unit's members with the edges inside it, and sizes its frame around them. */
function layoutUnit(id: string, members: LayoutNode[], edges: readonly LayoutEdge[], rankdir: "LR" | "TB"): Unit {
  const group = members[0]!.group;
  const inner = layoutComponents(members, edges, rankdir);
  if (group === undefined) return { id, group, inner, width: inner.width, height: inner.height };
  // Wide enough for the title, the members centred under it.
  const width = Math.max(inner.width + 2 * GROUP_PADDING, Math.ceil(group.length * CHAR_WIDTH) + 2 * GROUP_PADDING);
  const height = inner.height + 2 * GROUP_PADDING + TITLE_HEIGHT;
  const dx = (width - inner.width) / 2;
  const dy = GROUP_PADDING + TITLE_HEIGHT;
  const moved: DagreLayout = {
    nodes: new Map([...inner.nodes].map(([id, n]) => [id, { ...n, x: n.x + dx, y: n.y + dy }])),
    edges: new Map([...inner.edges].map(([id, route]) => [id, route.map((p) => ({ x: p.x + dx, y: p.y + dy }))])),
    width,
    height,
  };
  return { id, group, inner: moved, width, height };
}

/**
 * Lays out a group's members, then packs its connected parts in columns that wrap to the right
 * (left to right; rows that wrap downwards in TB): dagre stacks the parts of a graph in one
 * strip, and a folder's flows are mostly many small parts (~24 of ~7 nodes in the generated
 * workspace), so a group would be a strip several times as tall as it is wide. Each part keeps the
 * shape dagre gave it and is moved by its bounding box, so the packing does not depend on where
 * dagre put it. One dagre call per group, not per part: dagre's cost is mostly per node, and a
 * call per part measured slower (its fixed cost, ~1 ms, times 500 parts).
 *
 * A group of several parts skips dagre's crossing-reduction sweeps: they move nodes of different
 * parts past each other within a rank, so a part's bounding box (what the packing moves) takes in
 * space between other parts' nodes, and the parts are pulled apart here anyway. In the generated
 * workspace that is 28% less group area and ~25% less time, for 11% more crossings inside parts.
 * A group of one small part skips them too: depth first leaves it next to no crossings to remove
 * (none in any of the 500 groups of one file each), and the sweeps cost ~2 ms a group.
 */
function layoutComponents(members: readonly LayoutNode[], edges: readonly LayoutEdge[], rankdir: "LR" | "TB"): DagreLayout {
  const parts = connectedParts(members, edges);
  const sweeps = parts.length === 1 && members.length >= SWEEP_FROM;
  const whole = runDagre(members.map((n) => ({ id: n.id, ...nodeSize(n) })), edges, rankdir, 0, sweeps);
  if (parts.length === 1) return whole;
  const boxes = parts.map((part) => boundingBox(part, whole));
  // Packed as if left to right (columns stack along y); TB swaps x and y in and out.
  const sizes = boxes.map((b) => swapFor({ x: b.right - b.left, y: b.bottom - b.top }, rankdir));
  const area = sizes.reduce((sum, s) => sum + (s.x + PART_GAP) * (s.y + PART_GAP), 0);
  const columnHeight = Math.max(...sizes.map((s) => s.y), Math.sqrt(area / 2));
  const packed: DagreLayout = { nodes: new Map(), edges: new Map(), width: 0, height: 0 };
  let x = 0;
  let y = 0;
  let columnWidth = 0;
  let extent = { x: 0, y: 0 };
  parts.forEach((part, i) => {
    const size = sizes[i]!;
    if (y > 0 && y + size.y > columnHeight) {
      x += columnWidth + PART_GAP;
      y = 0;
      columnWidth = 0;
    }
    const at = swapFor({ x, y }, rankdir);
    moveInto(packed, part, whole, { x: at.x - boxes[i]!.left, y: at.y - boxes[i]!.top });
    columnWidth = Math.max(columnWidth, size.x);
    extent = { x: Math.max(extent.x, x + size.x), y: Math.max(extent.y, y + size.y) };
    y += size.y + PART_GAP;
  });
  return { ...packed, ...sizeFor(extent, rankdir) };
}

interface Part {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

function boundingBox(part: Part, layout: DagreLayout): { left: number; top: number; right: number; bottom: number } {
  const box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
  const add = (x: number, y: number) => {
    box.left = Math.min(box.left, x);
    box.right = Math.max(box.right, x);
    box.top = Math.min(box.top, y);
    box.bottom = Math.max(box.bottom, y);
  };
  for (const n of part.nodes) {
    const p = layout.nodes.get(n.id)!;
    add(p.x - p.width / 2, p.y - p.height / 2);
    add(p.x + p.width / 2, p.y + p.height / 2);
  }
  for (const e of part.edges) for (const p of layout.edges.get(e.id) ?? []) add(p.x, p.y);
  return box;
}

function moveInto(target: DagreLayout, part: Part, from: DagreLayout, by: Point): void {
  for (const n of part.nodes) {
    const p = from.nodes.get(n.id)!;
    target.nodes.set(n.id, { ...p, x: p.x + by.x, y: p.y + by.y });
  }
  for (const e of part.edges) target.edges.set(e.id, (from.edges.get(e.id) ?? []).map((p) => ({ x: p.x + by.x, y: p.y + by.y })));
}

function sizeFor(size: Point, rankdir: "LR" | "TB"): { width: number; height: number } {
  const { x, y } = swapFor(size, rankdir);
  return { width: x, height: y };
}

/** The weakly connected parts of a graph, each in the order its first node comes in. */
function connectedParts(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Part[] {
  const root = new Map(nodes.map((n) => [n.id, n.id]));
  const find = (id: string): string => {
    let r = id;
    while (root.get(r) !== r) r = root.get(r)!;
    root.set(id, r);
    return r;
  };
  for (const e of edges) root.set(find(e.from), find(e.to));
  const parts = new Map<string, Part>();
  for (const n of nodes) {
    const r = find(n.id);
    const part = parts.get(r);
    if (part === undefined) parts.set(r, { nodes: [n], edges: [] });
    else part.nodes.push(n);
  }
  for (const e of edges) parts.get(find(e.from))!.edges.push(e);
  return [...parts.values()];
}

/**
 * Half the depth of each rank of the graph of groups (along the rank direction), by its position:
 * every box of a rank is centred on it, so a line along the rank direction at a height no box of
 * the rank covers crosses the rank without entering a box.
 */
function rankExtents(boxes: readonly PlacedNode[], rankdir: "LR" | "TB"): Map<number, number> {
  const half = new Map<number, number>();
  for (const b of boxes.map((box) => alongRanks(box, rankdir))) half.set(b.x, Math.max(half.get(b.x) ?? 0, b.width / 2));
  return half;
}

/** A unit's box in the graph of groups; a group's has a title band at its top. */
interface Frame extends PlacedNode {
  titled: boolean;
}

/**
 * The route dagre gave a pair of groups, made to pass between boxes: it leaves its source box
 * across the side that faces the route, crosses each rank straight along the rank direction at
 * the height dagre kept free for it (a dummy node's), and turns only in the space between ranks;
 * it enters its target box the same way. Worked out as if left to right; TB is the same with x
 * and y swapped.
 */
function groupRoute(dagrePoints: readonly Point[], fromBox: Frame, toBox: Frame, rankExtent: Map<number, number>, rankdir: "LR" | "TB"): Point[] {
  const pts = dagrePoints.map((p) => swapFor(p, rankdir));
  if (pts.length < 3) return [...dagrePoints];
  const from = alongRanks(fromBox, rankdir);
  const to = alongRanks(toBox, rankdir);
  const out: Point[] = [];
  const side = (box: PlacedNode, toward: number) => Math.sign(toward - box.x) || 1;
  // Leaving the source box.
  const exitDir = side(from, pts[1]!.x);
  const exitY = clampInto(pts[1]!.y, from, fromBox.titled && rankdir === "LR");
  out.push({ x: from.x + (exitDir * from.width) / 2, y: exitY });
  const fromRank = rankExtent.get(from.x) ?? 0;
  if (fromRank > from.width / 2) out.push({ x: from.x + exitDir * fromRank, y: exitY });
  // Through the ranks between.
  for (let i = 1; i < pts.length - 1; i++) {
    const p = pts[i]!;
    const half = rankExtent.get(p.x) ?? 0;
    if (half === 0) {
      out.push(p);
      continue;
    }
    const dir = Math.sign(pts[i + 1]!.x - pts[i - 1]!.x) || 1;
    out.push({ x: p.x - dir * half, y: p.y }, { x: p.x + dir * half, y: p.y });
  }
  // Entering the target box.
  const entryDir = side(to, pts[pts.length - 2]!.x);
  const entryY = clampInto(pts[pts.length - 2]!.y, to, toBox.titled && rankdir === "LR");
  const toRank = rankExtent.get(to.x) ?? 0;
  if (toRank > to.width / 2) out.push({ x: to.x + entryDir * toRank, y: entryY });
  out.push({ x: to.x + (entryDir * to.width) / 2, y: entryY });
  return out.map((p) => swapFor(p, rankdir));
}

/**
 * A height on the box's side, kept off its corners and, when the side runs beside the title band
 * (left to right), below the band, so an edge does not run through the group's name.
 */
function clampInto(y: number, box: PlacedNode, besideTitle: boolean): number {
  const inset = Math.min(GROUP_PADDING, box.height / 4);
  const top = box.y - box.height / 2 + inset + (besideTitle ? TITLE_HEIGHT : 0);
  return Math.min(Math.max(y, top), box.y + box.height / 2 - inset);
}

/** The edge from its source node's border, along the route, to its target node's border. */
function joinNodes(source: PlacedNode, route: readonly Point[], target: PlacedNode): Point[] {
  if (route.length === 0) return [towardBorder(source, target), towardBorder(target, source)];
  const all = [towardBorder(source, route[0]!), ...route, towardBorder(target, route[route.length - 1]!)];
  return all.filter((p, i) => i === 0 || Math.abs(p.x - all[i - 1]!.x) > 0.01 || Math.abs(p.y - all[i - 1]!.y) > 0.01);
}

/** Where the line from the node's centre to the point leaves the node's box. */
function towardBorder(node: PlacedNode, toward: Point): Point {
  const dx = toward.x - node.x;
  const dy = toward.y - node.y;
  if (dx === 0 && dy === 0) return { x: node.x, y: node.y };
  const scale = Math.abs(dy) * node.width > Math.abs(dx) * node.height ? node.height / 2 / Math.abs(dy) : node.width / 2 / Math.abs(dx);
  return { x: node.x + dx * scale, y: node.y + dy * scale };
}

/** A box as if the ranks ran left to right: x along the ranks. */
function alongRanks(box: PlacedNode, rankdir: "LR" | "TB"): PlacedNode {
  return rankdir === "LR" ? box : { id: box.id, x: box.y, y: box.x, width: box.height, height: box.width };
}

function swapFor(p: Point, rankdir: "LR" | "TB"): Point {
  return rankdir === "LR" ? p : { x: p.y, y: p.x };
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
