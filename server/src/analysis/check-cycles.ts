import { compactGraphOfEdges, componentIds, edgeKey, findCycles } from "./find-cycles.js";
import { findingAt, relatedAt, type DraftFinding } from "./finding.js";
import type { FileLoc } from "./source-location.js";
import type { GraphEdge, WorkspaceModel } from "./workspace-model.js";

/** Prints a place as `file:line` (1-based) in messages. */
export type DescribePlace = (at: FileLoc) => string;

const CYCLE_KINDS = new Set(["subflow", "run-deployment", "deployment-of", "waits-for", "triggers"]);

/**
 * TRB100 (a cycle of waiting edges: it never finishes) and TRB101 (a cycle of edges that start
 * runs, one of them without waiting: runs start runs without end). `waits-for` waits but starts
 * nothing, so it counts for TRB100 only. One finding per cycle, anchored at one of its call sites,
 * naming every hop; a warning when some hop is conditional.
 */
export function checkCycles(model: WorkspaceModel, describePlace: DescribePlace, isReported: (file: string) => boolean = () => true, endpoints: EdgeEndpoints = new EdgeEndpoints()): DraftFinding[] {
  const edges: GraphEdge[] = [];
  for (const e of model.edges) if (CYCLE_KINDS.has(e.kind) && !e.redundantForCycles) edges.push(e);
  // Ids in order of first appearance: the edge order is stable, so the numbering is too.
  const { n, from, to } = endpoints.number(edges);
  const component = componentIds(n, compactGraphOfEdges(n, from, to));
  const pairs = new Map<number, GraphEdge[]>();
  const starting: (number[] | undefined)[] = new Array(n);
  const waiting: (number[] | undefined)[] = new Array(n);
  edges.forEach((edge, i) => {
    const u = from[i]!;
    const v = to[i]!;
    if (component[u] !== component[v]) return;
    const key = edgeKey(n, u, v);
    const list = pairs.get(key);
    if (list) list.push(edge);
    else pairs.set(key, [edge]);
    if (edge.waiting && !(waiting[u] ??= []).includes(v)) waiting[u]!.push(v);
    if (startsRun(edge) && !(starting[u] ??= []).includes(v)) starting[u]!.push(v);
  });
  const findings: DraftFinding[] = [];
  const reported = new Set<string>();
  const covered = new Set<number>();
  const report = (cycle: number[], onlyWaiting: boolean) => {
    const canonical = canonicalKey(cycle);
    if (reported.has(canonical)) return;
    reported.add(canonical);
    const hops = cycle.map((u, i) => pickHop(pairs.get(edgeKey(n, u, cycle[(i + 1) % cycle.length]!))!, onlyWaiting));
    cycle.forEach((u, i) => covered.add(edgeKey(n, u, cycle[(i + 1) % cycle.length]!)));
    findings.push(cycleFinding(rotate(hops, isReported), model, describePlace));
  };
  for (const cycle of findCycles(n, waiting)) report(cycle, true);
  for (const cycle of findCycles(n, starting, { covered })) report(cycle, false);
  return findings;
}

/**
 * The two ends of each edge as numbers, kept between analyses: an edit leaves most edge objects
 * as they were (the join computes again only what it touched), so numbering them costs a weak-map
 * lookup per edge instead of hashing both node ids. `number` then renumbers the ends in order of
 * first appearance, so findings do not depend on the edits that came before.
 */
export class EdgeEndpoints {
  private ids = new Map<string, number>();
  /** Bumped when `ids` starts again: ends numbered before are numbered anew. */
  private generation = 0;
  private readonly ends = new WeakMap<GraphEdge, { u: number; v: number; generation: number }>();
  private local = new Int32Array(0);

  number(edges: readonly GraphEdge[]): { n: number; from: Int32Array; to: Int32Array } {
    const from = new Int32Array(edges.length);
    const to = new Int32Array(edges.length);
    // Number every end first: `ids` may grow, and `local` must cover it.
    const ends = new Array<{ u: number; v: number }>(edges.length);
    for (let i = 0; i < edges.length; i++) ends[i] = this.endsOf(edges[i]!);
    if (this.local.length < this.ids.size) this.local = new Int32Array(this.ids.size * 2);
    const local = this.local;
    local.fill(-1, 0, this.ids.size);
    let n = 0;
    for (let i = 0; i < edges.length; i++) {
      const { u, v } = ends[i]!;
      if (local[u] === -1) local[u] = n++;
      if (local[v] === -1) local[v] = n++;
      from[i] = local[u]!;
      to[i] = local[v]!;
    }
    // Names that came and went keep their ids; past twice the names in use, start again.
    if (this.ids.size > 2 * n + 1024) {
      this.ids = new Map();
      this.generation++;
    }
    return { n, from, to };
  }

  private endsOf(edge: GraphEdge): { u: number; v: number } {
    let ends = this.ends.get(edge);
    if (ends === undefined || ends.generation !== this.generation) {
      ends = { u: this.idOf(edge.from), v: this.idOf(edge.to), generation: this.generation };
      this.ends.set(edge, ends);
    }
    return ends;
  }

  private idOf(node: string): number {
    let id = this.ids.get(node);
    if (id === undefined) this.ids.set(node, (id = this.ids.size));
    return id;
  }
}

function startsRun(edge: GraphEdge): boolean {
  return edge.kind !== "waits-for";
}

/** Of the edges between two nodes, the one that best shows the hop: unconditional first, then (for loops) fire-and-forget, then earliest. */
function pickHop(edges: GraphEdge[], onlyWaiting: boolean): GraphEdge {
  const candidates = edges.filter(onlyWaiting ? (e) => e.waiting : startsRun);
  return [...candidates].sort((a, b) => rank(a, onlyWaiting) - rank(b, onlyWaiting) || comparePlace(a.at, b.at))[0]!;
}

function rank(edge: GraphEdge, onlyWaiting: boolean): number {
  return (edge.conditional ? 2 : 0) + (!onlyWaiting && edge.waiting ? 1 : 0);
}

function comparePlace(a: FileLoc, b: FileLoc): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.loc.start - b.loc.start;
}

/**
 * Starts the cycle in a file whose findings are reported (not one only read through an import),
 * at a call in a flow body (subflow, runDeployment, waitForFlow) when there is one, then at a
 * trigger, then at a `deploy(…)`; the first in file order among equals.
 */
function rotate(hops: GraphEdge[], isReported: (file: string) => boolean): GraphEdge[] {
  const rankOf = (edge: GraphEdge) => (isReported(edge.at.file) ? 0 : 3) + (edge.kind === "deployment-of" ? 2 : edge.kind === "triggers" ? 1 : 0);
  let best = 0;
  for (let i = 1; i < hops.length; i++) {
    const a = hops[i]!;
    const b = hops[best]!;
    const byKind = rankOf(a) - rankOf(b);
    if (byKind < 0 || (byKind === 0 && comparePlace(a.at, b.at) < 0)) best = i;
  }
  return [...hops.slice(best), ...hops.slice(0, best)];
}

function canonicalKey(cycle: number[]): string {
  let start = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i]! < cycle[start]!) start = i;
  return [...cycle.slice(start), ...cycle.slice(0, start)].join(",");
}

function cycleFinding(hops: GraphEdge[], model: WorkspaceModel, describePlace: DescribePlace): DraftFinding {
  const name = (id: string) => model.nodes.get(id)?.name ?? id;
  const path = [...hops.map((h) => name(h.from)), name(hops[0]!.from)].join(" → ");
  const isLoop = hops.some((h) => !h.waiting);
  const guarded = hops.find((h) => h.conditional && h.guard !== undefined);
  let message: string;
  if (guarded) {
    const where = describePlace(guarded.guard!);
    message = isLoop
      ? `Possible trigger loop, guarded at ${where}: ${path}. Make sure that condition stops the chain of runs.`
      : `Possible dependency cycle, guarded at ${where}: ${path}. Make sure that condition ends the recursion.`;
  } else {
    message = isLoop
      ? `Trigger loop: ${path}. Each run starts the next and nothing stops the chain; remove one of these hops or guard it.`
      : `Dependency cycle: ${path}. Each run waits for the next, so none of them can finish; remove one of these calls or stop waiting on it.`;
  }
  const related = hops.map((h) => relatedAt(h.at, describeHop(h, name) + (h.guard ? ` (only when the condition at ${describePlace(h.guard)} holds)` : "")));
  const finding = findingAt(hops[0]!.at, guarded ? "warning" : "error", isLoop ? "TRB101" : "TRB100", message, related);
  finding.alsoSuppressedAt = hops.slice(1).map((h) => h.at);
  return finding;
}

function describeHop(edge: GraphEdge, name: (id: string) => string): string {
  const from = `"${name(edge.from)}"`;
  const to = `"${name(edge.to)}"`;
  switch (edge.kind) {
    case "subflow":
      return `flow ${from} calls flow ${to} as a subflow and waits for it`;
    case "run-deployment":
      if (edge.waitedWithWaitForFlowRun) return `flow ${from} runs deployment ${to}, then waits for that run with waitForFlowRun`;
      return edge.waiting ? `flow ${from} runs deployment ${to} and waits for it` : `flow ${from} runs deployment ${to} without waiting (timeoutSeconds: 0)`;
    case "deployment-of":
      return `deployment ${from} runs flow ${to}`;
    case "waits-for":
      return `flow ${from} waits for a run of flow ${to}`;
    case "triggers": {
      const when = edge.states && edge.states.length > 0 ? `reaches ${edge.states.join(" or ")}` : "changes state";
      if (edge.via === `deployment ${to}`) return `deployment ${to} is triggered when a run of ${from} ${when}`;
      return `${edge.via ?? "a trigger"} runs deployment ${to} when a run of ${from} ${when}`;
    }
    default:
      return `${from} → ${to}`;
  }
}
