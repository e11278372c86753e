import type { AnalysisSnapshot } from "./analysis-snapshot.js";
import type { JsonSchema } from "./json-schema.js";
import { containsOffset, type FileLoc } from "./source-location.js";
import { automationId, deploymentId, flowId, taskId, type GraphEdge, type GraphNode, type NodeKind } from "./workspace-model.js";

/** A node next to another one, with the edges (call sites) between them. */
export interface Neighbour {
  node: GraphNode;
  edges: GraphEdge[];
}

/** Direct upstream (who runs, calls, triggers or waits on it) and downstream of a node, by node. */
export function findUpstreamDownstream(snapshot: AnalysisSnapshot, nodeId: string): { upstream: Neighbour[]; downstream: Neighbour[] } {
  const graph = snapshot.graph();
  if (!graph.hasNode(nodeId)) return { upstream: [], downstream: [] };
  const collect = (edges: { v: string; w: string; name?: string }[] | undefined, other: "v" | "w"): Neighbour[] => {
    const byNode = new Map<string, Neighbour>();
    for (const e of edges ?? []) {
      const label = graph.edge(e);
      const id = e[other];
      const entry = byNode.get(id) ?? { node: graph.node(id), edges: [] };
      entry.edges.push(label);
      byNode.set(id, entry);
    }
    return [...byNode.values()].sort((a, b) => (a.node.id < b.node.id ? -1 : 1));
  };
  return { upstream: collect(graph.inEdges(nodeId), "v"), downstream: collect(graph.outEdges(nodeId), "w") };
}

/** What sits at a position: a declaration (`flow(…)`, `deploy(…)`), a name string, or a call site. */
export interface PositionHit {
  role: "declaration" | "name" | "call";
  kind: NodeKind;
  name: string;
  nodeId: string;
  /** False for a name string no declaration carries (TRB110/TRB111). */
  known: boolean;
  at: FileLoc;
}

/** The innermost hit at `offset` (0-based, in UTF-16 code units) in `file` (absolute). */
export function nodeAt(snapshot: AnalysisSnapshot, file: string, offset: number): PositionHit | undefined {
  const hits: PositionHit[] = [];
  const known = (id: string) => snapshot.model.nodes.has(id);
  const add = (role: PositionHit["role"], kind: NodeKind, name: string, nodeId: string, at: FileLoc) => {
    if (at.file === file && containsOffset(at.loc, offset)) hits.push({ role, kind, name, nodeId, known: known(nodeId), at });
  };
  const facts = snapshot.model.facts.find((f) => f.file === file);
  if (facts) {
    for (const flow of facts.flows) if (flow.name !== undefined) for (const at of [flow.nameAt, flow.at]) add(at === flow.at ? "declaration" : "name", "flow", flow.name, flowId(flow.name), at);
    for (const task of facts.tasks) if (task.name !== undefined) for (const at of [task.nameAt, task.at]) add(at === task.at ? "declaration" : "name", "task", task.name, taskId(task.name), at);
    for (const d of facts.deployments) for (const at of [d.nameAt, d.at]) add(at === d.at ? "declaration" : "name", "deployment", d.fullName, deploymentId(d.fullName), at);
    for (const a of facts.automations) for (const at of [a.nameAt, a.at]) add(at === a.at ? "declaration" : "name", "automation", a.name, automationId(a.name), at);
    for (const use of facts.nameUses) add("name", use.kind, use.name, use.kind === "flow" ? flowId(use.name) : deploymentId(use.name), use.at);
  }
  for (const edge of snapshot.model.edges) {
    if (edge.at.file !== file || edge.kind === "deployment-of" || !containsOffset(edge.at.loc, offset)) continue;
    const node = snapshot.model.nodes.get(edge.to);
    if (node) add("call", node.kind, node.name, node.id, edge.at);
  }
  // The innermost span wins; a name beats the declaration around it.
  hits.sort((a, b) => a.at.loc.end - a.at.loc.start - (b.at.loc.end - b.at.loc.start) || (a.role === "declaration" ? 1 : 0) - (b.role === "declaration" ? 1 : 0));
  return hits[0];
}

export interface Definition {
  nodeId: string;
  kind: NodeKind;
  /** The whole `flow(…)` / `deploy(…)` call. */
  at: FileLoc;
  /** The name inside it. */
  nameAt: FileLoc;
}

/** Where a flow or deployment name is declared (several places when the name is declared twice). */
export function definitionOf(snapshot: AnalysisSnapshot, name: string, kind?: "flow" | "deployment"): Definition[] {
  const { model } = snapshot;
  const definitions: Definition[] = [];
  if (kind !== "deployment") for (const f of model.flows.get(name) ?? []) definitions.push({ nodeId: flowId(name), kind: "flow", at: f.at, nameAt: f.nameAt });
  if (kind !== "flow") for (const d of model.deployments.get(name) ?? []) definitions.push({ nodeId: deploymentId(name), kind: "deployment", at: d.at, nameAt: d.nameAt });
  return definitions;
}

export interface NameCompletion {
  name: string;
  kind: NodeKind;
  nodeId: string;
  at: FileLoc;
}

/** Every declared name of one kind, sorted: what completion offers inside a name string. */
export function completeNames(snapshot: AnalysisSnapshot, kind: NodeKind): NameCompletion[] {
  return [...snapshot.model.nodes.values()]
    .filter((n) => n.kind === kind)
    .map((n) => ({ name: n.name, kind: n.kind, nodeId: n.id, at: n.at }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A file's own declarations, for code lenses: what each one is, where, and what runs it. */
export interface FileDeclarations {
  flows: { nodeId: string | undefined; name: string | undefined; exportName: string | undefined; at: FileLoc; nameAt: FileLoc; parameters: JsonSchema; upstream: number; downstream: number }[];
  deployments: { nodeId: string; name: string; flowName: string; exportName: string | undefined; at: FileLoc; nameAt: FileLoc; schedules: unknown[] }[];
  automations: { nodeId: string; name: string; exportName: string | undefined; at: FileLoc; nameAt: FileLoc; enabled: boolean; watches: string[]; runs: string[] }[];
}

/** The flows, deployments and automations declared in `file` (absolute), in source order. */
export function declarationsIn(snapshot: AnalysisSnapshot, file: string): FileDeclarations {
  const facts = snapshot.model.facts.find((f) => f.file === file);
  if (!facts) return { flows: [], deployments: [], automations: [] };
  const counts = (nodeId: string | undefined) => {
    if (nodeId === undefined) return { upstream: 0, downstream: 0 };
    const { upstream, downstream } = findUpstreamDownstream(snapshot, nodeId);
    return { upstream: upstream.length, downstream: downstream.length };
  };
  return {
    flows: facts.flows.map((f) => {
      const nodeId = f.name === undefined ? undefined : flowId(f.name);
      return { nodeId, name: f.name, exportName: f.exportName, at: f.at, nameAt: f.nameAt, parameters: f.parameters, ...counts(nodeId) };
    }),
    deployments: facts.deployments.map((d) => ({ nodeId: deploymentId(d.fullName), name: d.fullName, flowName: d.flowName, exportName: d.exportName, at: d.at, nameAt: d.nameAt, schedules: d.schedules })),
    automations: facts.automations.map((a) => ({ nodeId: automationId(a.name), name: a.name, exportName: a.exportName, at: a.at, nameAt: a.nameAt, enabled: a.enabled, watches: a.watches, runs: a.runs })),
  };
}
