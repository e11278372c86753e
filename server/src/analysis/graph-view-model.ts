/**
 * The one model of what a picture of the dependency graph shows, shared by the graph webview and
 * by `tributary graph --format mermaid|dot`, so that they cannot drift apart: which nodes and
 * edges are drawn (tasks folded into their flows, a name filter), how each edge is styled, and
 * which edges lie on a reported cycle (TRB100/TRB101) with its message. Pure: no DOM, no Node.
 */
import type { GraphCycleJson, GraphDetailsJson } from "./graph-details.js";

export type ViewNodeKind = GraphDetailsJson["nodes"][number]["kind"];

/** How an edge is drawn: a `run-deployment` edge that waits reads apart from a fire-and-forget one. */
export type EdgeStyle = "subflow" | "task" | "run-deployment" | "run-deployment-no-wait" | "deployment-of" | "waits-for" | "triggers";

export const EDGE_STYLES: readonly EdgeStyle[] = ["subflow", "task", "run-deployment", "run-deployment-no-wait", "deployment-of", "waits-for", "triggers"];

/** What each style means, for legends. */
export const EDGE_STYLE_LABELS: Record<EdgeStyle, string> = {
  subflow: "subflow (waits)",
  task: "task",
  "run-deployment": "run deployment (waits)",
  "run-deployment-no-wait": "run deployment (fire and forget)",
  "deployment-of": "deployment of",
  "waits-for": "waits for",
  triggers: "triggers",
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
  /** The name filter matched this node (it is drawn with its neighbours). */
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
  /** `<kind>[ (no wait)][ (conditional)]`, plus what it comes through for triggers. */
  label: string;
  file: string;
  line: number;
  /** Indices into {@link GraphView.cycles} of the reported cycles this edge is a hop of. */
  cycles: number[];
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Every reported cycle, drawn or not (a filter may hide some of its hops). */
  cycles: GraphCycleJson[];
  /** Task nodes folded into their flows. */
  hiddenTasks: number;
}

export interface GraphViewOptions {
  /** Case-insensitive part of a name: only matching nodes and their neighbours are kept. @default "" */
  filter?: string;
  /** Flows whose tasks are drawn, by node id, or `"all"`. @default "all" */
  expandedFlows?: ReadonlySet<string> | "all";
}

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

  const allEdges: ViewEdge[] = graph.edges.map((e, i) => {
    const style: EdgeStyle = e.kind === "run-deployment" && !e.waiting ? "run-deployment-no-wait" : e.kind;
    const cycles = CYCLE_KINDS.has(e.kind) ? (hopCycles.get(`${e.file}:${e.line}:${e.column}`) ?? []) : [];
    const label = [e.kind, style === "run-deployment-no-wait" ? "(no wait)" : "", e.conditional ? "(conditional)" : "", e.via !== undefined && e.kind === "triggers" ? `via ${e.via}` : ""].filter(Boolean).join(" ");
    return { id: `e${i}`, from: e.from, to: e.to, kind: e.kind, style, conditional: e.conditional, label, file: e.file, line: e.line, cycles };
  });

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
  return { nodes, edges, cycles: graph.cycles, hiddenTasks };
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
