import { ForkableMap } from "./forkable-map.js";
import type { AutomationFact, DeploymentFact, EdgeFact, EdgeKind, ExpandedEdges, FileFacts, FlowFact, GraphParts, SourceRef, TargetRef, TaskFact } from "./file-facts.js";
import type { JsonSchema } from "./json-schema.js";
import { DEPLOYMENT_NAMES, FLOW_NAMES, FLOW_TAGS, fileKey, type ReadKeys } from "./read-keys.js";
import type { FileLoc } from "./source-location.js";

export type NodeKind = "flow" | "task" | "deployment" | "automation";

export interface GraphNode {
  /** `flow:<name>`, `task:<name>`, `deployment:<flow>/<name>`, `automation:<name>`. */
  id: string;
  kind: NodeKind;
  name: string;
  at: FileLoc;
  /** Flows only: the JSON Schema of their parameters. */
  parameters?: JsonSchema;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  conditional: boolean;
  guard: FileLoc | undefined;
  /** The source waits for the target's run to end. `deployment-of` counts as waiting: it adds no delay of its own. */
  waiting: boolean;
  at: FileLoc;
  via?: string;
  /** The name of the automation that made a trigger edge. */
  automation?: string;
  states?: string[];
  waitedWithWaitForFlowRun?: boolean;
  redundantForCycles?: boolean;
}

/** The whole workspace: every declaration by name, the graph's nodes and edges. */
export interface WorkspaceModel {
  facts: readonly FileFacts[];
  flows: ForkableMap<string, FlowFact[]>;
  tasks: ForkableMap<string, TaskFact[]>;
  deployments: ForkableMap<string, DeploymentFact[]>;
  automations: ForkableMap<string, AutomationFact[]>;
  nodes: ForkableMap<string, GraphNode>;
  edges: GraphEdge[];
  /** Helper functions some flow or task calls, directly or through other helpers. */
  reachedHelpers: Set<string>;
}

export const flowId = (name: string) => `flow:${name}`;
export const taskId = (name: string) => `task:${name}`;
export const deploymentId = (name: string) => `deployment:${name}`;
export const automationId = (name: string) => `automation:${name}`;

/** Joins every file's facts by name into one graph. `facts` must be in a stable order (by file). */
export function buildWorkspaceModel(facts: readonly FileFacts[]): WorkspaceModel {
  const model = emptyModel(facts);
  for (const f of facts) addDeclarations(model, f);
  const byFile = new Map(facts.map((f) => [f.file, f]));
  const reads: ReadKeys = new Set();
  for (const f of facts) {
    const { edges, reachedHelpers } = fileCallEdges(model, f, byFile, reads);
    model.edges.push(...edges);
    for (const helper of reachedHelpers) model.reachedHelpers.add(helper);
  }
  for (const f of facts) model.edges.push(...fileTriggerEdges(model, f, reads));
  for (const f of facts) model.edges.push(...fileDeploymentOfEdges(model, f, reads));
  return model;
}

export function emptyModel(facts: readonly FileFacts[]): WorkspaceModel {
  return { facts, flows: new ForkableMap(), tasks: new ForkableMap(), deployments: new ForkableMap(), automations: new ForkableMap(), nodes: new ForkableMap(), edges: [], reachedHelpers: new Set() };
}

/** Adds one file's declarations to the name maps; a name's node is its first declaration's. */
export function addDeclarations(model: WorkspaceModel, f: FileFacts): void {
  const parts = (f.graphParts ??= graphPartsOf(f));
  f.flows.forEach((flow, i) => add(model.flows, flow.name, flow) && model.nodes.set(parts.flows[i]!.id, parts.flows[i]!));
  f.tasks.forEach((task, i) => add(model.tasks, task.name, task) && model.nodes.set(parts.tasks[i]!.id, parts.tasks[i]!));
  f.deployments.forEach((d, i) => add(model.deployments, d.fullName, d) && model.nodes.set(parts.deployments[i]!.id, parts.deployments[i]!));
  f.automations.forEach((a, i) => add(model.automations, a.name, a) && model.nodes.set(parts.automations[i]!.id, parts.automations[i]!));
}

/** The nodes and `deployment-of` edges one file contributes, whatever the rest of the workspace holds. */
export function graphPartsOf(f: FileFacts): GraphParts {
  return {
    flows: f.flows.map((flow) => (flow.name === undefined ? undefined : { id: flowId(flow.name), kind: "flow", name: flow.name, at: flow.nameAt, parameters: flow.parameters })),
    tasks: f.tasks.map((task) => (task.name === undefined ? undefined : { id: taskId(task.name), kind: "task", name: task.name, at: task.nameAt })),
    deployments: f.deployments.map((d) => ({ id: deploymentId(d.fullName), kind: "deployment", name: d.fullName, at: d.nameAt })),
    automations: f.automations.map((a) => ({ id: automationId(a.name), kind: "automation", name: a.name, at: a.nameAt })),
    deploymentOf: f.deployments.map((d) => ({ from: deploymentId(d.fullName), to: flowId(d.flowName), kind: "deployment-of", conditional: false, guard: undefined, waiting: true, at: d.at })),
  };
}

/** Adds to a list in a map; true when the key is new. */
function add<T>(map: ForkableMap<string, T[]>, key: string | undefined, item: T): boolean {
  if (key === undefined) return false;
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
  return list === undefined;
}

/**
 * Edges from one file's flow bodies, expanding the helper functions they call, and the helpers
 * reached; `byFile` gives the facts of the files those helpers are in. `reads` gets the keys read.
 */
export function fileCallEdges(model: WorkspaceModel, f: FileFacts, byFile: ReadonlyMap<string, FileFacts>, reads: ReadKeys): { edges: GraphEdge[]; reachedHelpers: readonly string[] } {
  if (f.contextEdges.size === 0) return { edges: [], reachedHelpers: [] };
  if (!f.expanded || [...f.expanded.helperFacts].some(([file, facts]) => byFile.get(file) !== facts)) f.expanded = expandFile(f, byFile);
  for (const file of f.expanded.helperFacts.keys()) reads.add(fileKey(file));
  const edges: GraphEdge[] = [];
  for (const item of f.expanded.edges) {
    if (item.edge) {
      reads.add(item.edge.to);
      if (model.nodes.has(item.edge.to)) edges.push(item.edge);
      continue;
    }
    const to = targetId(model, item.fact, reads);
    if (to !== undefined) edges.push(graphEdge(item.from, to, item.fact, item.guard));
  }
  return { edges, reachedHelpers: f.expanded.reachedHelpers };
}

/** One file's trigger edges (from its automations and deployments' triggers). */
export function fileTriggerEdges(model: WorkspaceModel, f: FileFacts, reads: ReadKeys): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const edge of f.otherEdges) {
    const to = targetId(model, edge, reads);
    if (to === undefined) continue;
    for (const from of sourceIds(model, edge.from, reads)) edges.push(graphEdge(from, to, edge, edge.guard));
  }
  return edges;
}

/** One file's `deployment-of` edges whose flow exists. */
export function fileDeploymentOfEdges(model: WorkspaceModel, f: FileFacts, reads: ReadKeys): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const edge of (f.graphParts ??= graphPartsOf(f)).deploymentOf) {
    reads.add(edge.to);
    if (model.nodes.has(edge.to)) edges.push(edge);
  }
  return edges;
}

/** One file's flow and task bodies with the helpers they call expanded, whatever exists elsewhere. */
function expandFile(f: FileFacts, byFile: ReadonlyMap<string, FileFacts>): ExpandedEdges {
  const result: ExpandedEdges = { edges: [], reachedHelpers: [], helperFacts: new Map() };
  const helperEdges = (to: Extract<TargetRef, { kind: "helper" }>) => {
    const facts = byFile.get(to.file);
    if (to.file !== f.file) result.helperFacts.set(to.file, facts);
    return facts?.contextEdges.get(to.key) ?? [];
  };
  const expand = (key: string, edges: readonly EdgeFact[] | undefined, nodeId: string | undefined) => {
    if (edges === undefined) return;
    const visited = new Set([key]);
    const stack: { edge: EdgeFact; guard: FileLoc | undefined }[] = [];
    for (let i = edges.length - 1; i >= 0; i--) stack.push({ edge: edges[i]!, guard: edges[i]!.guard });
    while (stack.length > 0) {
      const { edge, guard } = stack.pop()!;
      if (edge.to.kind === "helper") {
        if (visited.has(edge.to.key)) continue;
        visited.add(edge.to.key);
        result.reachedHelpers.push(edge.to.key);
        const inner = helperEdges(edge.to);
        for (let i = inner.length - 1; i >= 0; i--) stack.push({ edge: inner[i]!, guard: guard ?? inner[i]!.guard });
      } else if (nodeId !== undefined) {
        result.edges.push({ from: nodeId, fact: edge, guard, edge: edge.toId === undefined ? undefined : graphEdge(nodeId, edge.toId, edge, guard) });
      }
    }
  };
  for (const flow of f.flows) expand(flow.key, f.contextEdges.get(flow.key), flow.name === undefined ? undefined : flowId(flow.name));
  for (const task of f.tasks) expand(task.key, f.contextEdges.get(task.key), undefined);
  return result;
}

function graphEdge(from: string, to: string, edge: EdgeFact, guard: FileLoc | undefined): GraphEdge {
  const result: GraphEdge = { from, to, kind: edge.kind as EdgeKind, conditional: guard !== undefined, guard, waiting: edge.waiting, at: edge.at };
  if (edge.via !== undefined) result.via = edge.via;
  if (edge.automation !== undefined) result.automation = edge.automation;
  if (edge.states !== undefined) result.states = edge.states;
  if (edge.waitedWithWaitForFlowRun) result.waitedWithWaitForFlowRun = true;
  if (edge.redundantForCycles) result.redundantForCycles = true;
  return result;
}

function targetId(model: WorkspaceModel, edge: EdgeFact, reads: ReadKeys): string | undefined {
  if (edge.toId !== undefined) {
    reads.add(edge.toId);
    return model.nodes.has(edge.toId) ? edge.toId : undefined;
  }
  if (edge.to.kind !== "flow-of-deployment") return undefined;
  return flowOfDeployment(model, edge.to.name, reads);
}

function flowOfDeployment(model: WorkspaceModel, deployment: string, reads: ReadKeys): string | undefined {
  reads.add(deploymentId(deployment));
  const flowName = model.deployments.get(deployment)?.[0]?.flowName;
  if (flowName === undefined) return undefined;
  reads.add(flowId(flowName));
  return model.flows.has(flowName) ? flowId(flowName) : undefined;
}

function sourceIds(model: WorkspaceModel, from: SourceRef, reads: ReadKeys): string[] {
  switch (from.kind) {
    case "flow":
      reads.add(flowId(from.name));
      return model.flows.has(from.name) ? [flowId(from.name)] : [];
    case "flow-of-deployment": {
      const id = flowOfDeployment(model, from.name, reads);
      return id === undefined ? [] : [id];
    }
    case "flows-matching": {
      reads.add(FLOW_NAMES);
      const fits = wildcard(from.pattern);
      return [...model.flows.keys()].filter((name) => fits.test(name)).map(flowId);
    }
    case "deployments-matching": {
      reads.add(DEPLOYMENT_NAMES).add(FLOW_NAMES);
      const fits = wildcard(from.pattern);
      const ids = [...model.deployments].filter(([name]) => fits.test(name)).map(([, [d]]) => flowId(d!.flowName));
      return [...new Set(ids)].filter((id) => model.nodes.has(id));
    }
    case "flows-tagged":
      reads.add(FLOW_NAMES).add(FLOW_TAGS);
      return [...model.flows].filter(([, decls]) => decls.some((d) => from.tags.every((t) => d.tags.includes(t)))).map(([name]) => flowId(name));
    case "any-flow":
      reads.add(FLOW_NAMES);
      return [...model.flows.keys()].map(flowId);
    case "context":
      return [];
  }
}

/** A name with `*` wildcards (as trigger matches take them) as a regular expression. */
export function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}
