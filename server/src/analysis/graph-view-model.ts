/**
 * The one model of what a picture of the dependency graph shows, shared by the graph webview and
 * by `tributary graph --format mermaid|dot`, so that they cannot drift apart: which nodes and
 * edges are drawn (tasks folded into their flows, a name filter), how each edge is styled, and
 * which edges lie on a reported cycle (TRB100/TRB101) with its message. Pure: no DOM, no Node.
 */
import { clusterByFolder } from "./graph-clusters.js";
import type { GraphCycleJson, GraphDetailsJson } from "./graph-details.js";

/** A node of the graph, or a folder standing for the nodes in it (the overview of a big graph). */
export type ViewNodeKind = GraphDetailsJson["nodes"][number]["kind"] | "folder";

/** How an edge is drawn: a `run-deployment` edge that waits reads apart from a fire-and-forget one. */
export type EdgeStyle = "subflow" | "task" | "run-deployment" | "run-deployment-no-wait" | "deployment-of" | "waits-for" | "triggers" | "aggregate";

export const EDGE_STYLES: readonly EdgeStyle[] = ["subflow", "task", "run-deployment", "run-deployment-no-wait", "deployment-of", "waits-for", "triggers", "aggregate"];

/** What each style means, for legends. */
export const EDGE_STYLE_LABELS: Record<EdgeStyle, string> = {
  subflow: "subflow (waits)",
  task: "task",
  "run-deployment": "run deployment (waits)",
  "run-deployment-no-wait": "run deployment (fire and forget)",
  "deployment-of": "deployment of",
  "waits-for": "waits for",
  triggers: "triggers",
  aggregate: "edges of several kinds, to or from a folder",
};

export interface ViewNode {
  id: string;
  kind: ViewNodeKind;
  name: string;
  /** `<kind>: <name>`, as the node is labelled everywhere. */
  label: string;
  file: string;
  line: number;
  /** For a flow that calls tasks: how many, and whether they are drawn. */
  tasks?: { count: number; expanded: boolean };
  /** For a folder's node: its path and how many nodes it stands for. */
  folder?: { path: string; nodes: number; expanded: boolean };
  /** In an overview: the expanded folder this node is drawn in (a frame around its members), if any. */
  within?: string;
  /** The name filter matched this node, or for a folder, a node in it. */
  matched: boolean;
  /** Indices into {@link GraphView.cycles} of the cycles through this node. */
  cycles: number[];
}

export interface ViewEdge {
  /** Stable within one graph: the index of the call site in the graph's edges. */
  id: string;
  from: string;
  to: string;
  kind: GraphDetailsJson["edges"][number]["kind"];
  style: EdgeStyle;
  /** Drawn dashed: the call sits under a condition, a loop or a catch. */
  conditional: boolean;
  /**
   * `<kind>[ (no wait)][ (conditional)]`, plus what it comes through for a trigger of a deployment,
   * and `×n` for n calls. A trigger an automation made is two edges, through the automation's node:
   * `triggers` into it and `runs` out of it.
   */
  label: string;
  /** How many call sites this edge stands for: two calls of one deployment from one flow are one edge. */
  calls: number;
  file: string;
  line: number;
  /** Indices into {@link GraphView.cycles} of the reported cycles this edge is a hop of. */
  cycles: number[];
  /** For an edge to or from a folder: how many drawn edges it stands for. */
  aggregate?: number;
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Every reported cycle, drawn or not (a filter may hide some of its hops). */
  cycles: GraphCycleJson[];
  /** Task nodes folded into their flows. */
  hiddenTasks: number;
  /** The folders drawn as nodes, when the view is an overview (see {@link GraphViewOptions.folders}). */
  folders?: string[];
  /** The expanded folders, when the view is an overview: each holds the nodes drawn in it. */
  expandedFolders?: string[];
}

export interface GraphViewOptions {
  /** Case-insensitive part of a name: only matching nodes and their neighbours are kept. @default "" */
  filter?: string;
  /** Flows whose tasks are drawn, by node id, or `"all"`. @default "all" */
  expandedFlows?: ReadonlySet<string> | "all";
  /**
   * An overview above `above` nodes: folders drawn as nodes (graph-clusters.ts) but those whose
   * path is in `expanded` and those that hold the node `reveal` (a focus). Left out: every node is drawn.
   */
  folders?: { above: number; expanded: ReadonlySet<string>; reveal?: string };
}

/** Above this many nodes the graph view starts with its overview by folder. */
export const OVERVIEW_ABOVE = 300;

const CYCLE_KINDS = new Set(["subflow", "run-deployment", "deployment-of", "waits-for", "triggers"]);

/**
 * @example
 * toGraphView(details, { filter: "upstream", expandedFlows: new Set(["flow:upstream-flow"]) })
 */
export function toGraphView(graph: GraphDetailsJson, options: GraphViewOptions = {}): GraphView {
  const expanded = options.expandedFlows ?? "all";
  const filter = (options.filter ?? "").trim().toLowerCase();
  const hopCycles = indexHops(graph.cycles);
  const kindOf = new Map(graph.nodes.map((n) => [n.id, n.kind]));

  const allEdges = mergeRepeatedEdges(graph.edges.flatMap((e, i) => toDraftEdges(e, i, hopCycles, kindOf)));

  const taskCount = new Map<string, Set<string>>();
  const callers = new Map<string, string[]>();
  for (const e of allEdges) {
    if (e.kind !== "task") continue;
    (taskCount.get(e.from) ?? taskCount.set(e.from, new Set()).get(e.from)!).add(e.to);
    (callers.get(e.to) ?? callers.set(e.to, []).get(e.to)!).push(e.from);
  }
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const isExpanded = (flowId: string) => expanded === "all" || expanded.has(flowId);
  const matches = (name: string) => filter !== "" && name.toLowerCase().includes(filter);

  // Folding: a task is drawn when a flow that calls it is expanded, or when the filter names it.
  const visible = new Set<string>();
  let hiddenTasks = 0;
  for (const n of graph.nodes) {
    if (n.kind !== "task") visible.add(n.id);
    else if (matches(n.name) || (callers.get(n.id) ?? []).some(isExpanded)) visible.add(n.id);
    else hiddenTasks++;
  }
  const edgeShown = (e: ViewEdge) => visible.has(e.from) && visible.has(e.to) && (e.kind !== "task" || isExpanded(e.from) || matches(names.get(e.to) ?? ""));
  let edges = allEdges.filter(edgeShown);

  let kept = visible;
  if (filter !== "") {
    kept = new Set<string>();
    for (const n of graph.nodes) if (visible.has(n.id) && matches(n.name)) kept.add(n.id);
    const matchedIds = new Set(kept);
    for (const e of edges) {
      if (matchedIds.has(e.from)) kept.add(e.to);
      if (matchedIds.has(e.to)) kept.add(e.from);
    }
    edges = edges.filter((e) => kept.has(e.from) && kept.has(e.to) && (matchedIds.has(e.from) || matchedIds.has(e.to)));
  }

  const nodeCycles = new Map<string, Set<number>>();
  for (const e of allEdges) {
    for (const c of e.cycles) {
      for (const id of [e.from, e.to]) (nodeCycles.get(id) ?? nodeCycles.set(id, new Set()).get(id)!).add(c);
    }
  }
  const nodes: ViewNode[] = graph.nodes
    .filter((n) => kept.has(n.id))
    .map((n) => {
      const node: ViewNode = { id: n.id, kind: n.kind, name: n.name, label: `${n.kind}: ${n.name}`, file: n.file, line: n.line, matched: matches(n.name), cycles: [...(nodeCycles.get(n.id) ?? [])].sort((a, b) => a - b) };
      const count = taskCount.get(n.id)?.size ?? 0;
      if (kindOf.get(n.id) === "flow" && count > 0) node.tasks = { count, expanded: isExpanded(n.id) };
      return node;
    });
  const view: GraphView = { nodes, edges, cycles: graph.cycles, hiddenTasks };
  if (options.folders === undefined || nodes.length <= options.folders.above) return view;
  return clusterByFolder(view, options.folders.expanded, options.folders.reveal);
}

type DetailsEdge = GraphDetailsJson["edges"][number];

/** An edge before merging, with the parts of its label: what it is and, for a trigger, who made it. */
interface DraftEdge {
  edge: ViewEdge;
  what: string;
  via?: string;
}

/** Call sites, counted when one flow makes the same call twice; the other kinds are declarations. */
const CALL_KINDS = new Set<string>(["subflow", "task", "run-deployment", "waits-for"]);

/**
 * One call site or declaration as drawn: one edge, or, for a trigger that an automation made, two
 * (source → automation → deployment), so that the automation is a node with its edges rather
 * than a label. Both halves are hops of the cycles the trigger is a hop of.
 */
function toDraftEdges(e: DetailsEdge, index: number, hopCycles: Map<string, number[]>, kindOf: Map<string, string>): DraftEdge[] {
  const style: EdgeStyle = e.kind === "run-deployment" && !e.waiting ? "run-deployment-no-wait" : e.kind;
  const cycles = CYCLE_KINDS.has(e.kind) ? (hopCycles.get(`${e.file}:${e.line}:${e.column}`) ?? []) : [];
  const edge = (id: string, from: string, to: string): ViewEdge => ({ id, from, to, kind: e.kind, style, conditional: e.conditional, label: "", calls: 1, file: e.file, line: e.line, cycles: [...cycles] });
  if (e.kind === "triggers" && e.automation !== undefined && kindOf.get(e.automation) === "automation") {
    return [
      { edge: edge(`e${index}`, e.from, e.automation), what: "triggers" },
      { edge: edge(`e${index}-run`, e.automation, e.to), what: "runs" },
    ];
  }
  const draft: DraftEdge = { edge: edge(`e${index}`, e.from, e.to), what: e.kind };
  if (e.via !== undefined && e.kind === "triggers") draft.via = e.via;
  return [draft];
}

/**
 * Edges with the same ends and style become one: calls counted (`×2`), a trigger's halves shared by
 * several actions or sources drawn once. The merged edge is conditional only when every call is
 * (one unconditional call makes the dependency certain), lies on the union of their cycles, and
 * points at the first call site. Labels are made here, once the counts are known.
 */
function mergeRepeatedEdges(drafts: readonly DraftEdge[]): ViewEdge[] {
  const byKey = new Map<string, DraftEdge>();
  for (const draft of drafts) {
    const { edge } = draft;
    const key = `${edge.from}\n${edge.to}\n${edge.style}\n${draft.via ?? ""}`;
    const first = byKey.get(key);
    if (first === undefined) {
      byKey.set(key, draft);
      continue;
    }
    if (CALL_KINDS.has(edge.kind)) first.edge.calls++;
    first.edge.conditional &&= edge.conditional;
    for (const c of edge.cycles) if (!first.edge.cycles.includes(c)) first.edge.cycles.push(c);
  }
  return [...byKey.values()].map(({ edge, what, via }) => {
    edge.cycles.sort((a, b) => a - b);
    edge.label = [what, edge.style === "run-deployment-no-wait" ? "(no wait)" : "", edge.conditional ? "(conditional)" : "", via !== undefined ? `via ${via}` : "", edge.calls > 1 ? `×${edge.calls}` : ""].filter(Boolean).join(" ");
    return edge;
  });
}

/** `file:line:column` of every hop → the cycles it belongs to. */
function indexHops(cycles: readonly GraphCycleJson[]): Map<string, number[]> {
  const byPlace = new Map<string, number[]>();
  cycles.forEach((cycle, index) => {
    for (const hop of cycle.hops) {
      const key = `${hop.file}:${hop.line}:${hop.column}`;
      const list = byPlace.get(key) ?? byPlace.set(key, []).get(key)!;
      if (!list.includes(index)) list.push(index);
    }
  });
  return byPlace;
}
