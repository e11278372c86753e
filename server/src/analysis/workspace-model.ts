import type { AutomationFact, DeploymentFact, EdgeFact, EdgeKind, FileFacts, FlowFact, SourceRef, TargetRef, TaskFact } from "./file-facts.js";
import type { JsonSchema } from "./json-schema.js";
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
  states?: string[];
  waitedWithWaitForFlowRun?: boolean;
  redundantForCycles?: boolean;
}

/** The whole workspace: every declaration by name, the graph's nodes and edges. */
export interface WorkspaceModel {
  facts: readonly FileFacts[];
  flows: Map<string, FlowFact[]>;
  tasks: Map<string, TaskFact[]>;
  deployments: Map<string, DeploymentFact[]>;
  automations: Map<string, AutomationFact[]>;
  nodes: Map<string, GraphNode>;
  edges: GraphEdge[];
  /** Helper functions some flow or task calls, directly or through other helpers. */
  reachedHelpers: Set<string>;
}

export const flowId = (name: string) => `flow:${name}`;
export const taskId = (name: string) => `task:${name}`;
export const deploymentId = (name: string) => `deployment:${name}`;
export const automationId = (name: string) => `automation:${name}`;

function group<T>(items: Iterable<T>, keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}

/** Joins every file's facts by name into one graph. `facts` must be in a stable order (by file). */
export function buildWorkspaceModel(facts: readonly FileFacts[]): WorkspaceModel {
  const model: WorkspaceModel = {
    facts,
    flows: group(facts.flatMap((f) => f.flows), (f) => f.name),
    tasks: group(facts.flatMap((f) => f.tasks), (t) => t.name),
    deployments: group(facts.flatMap((f) => f.deployments), (d) => d.fullName),
    automations: group(facts.flatMap((f) => f.automations), (a) => a.name),
    nodes: new Map(),
    edges: [],
    reachedHelpers: new Set(),
  };
  for (const [name, [first]] of model.flows) model.nodes.set(flowId(name), { id: flowId(name), kind: "flow", name, at: first!.nameAt, parameters: first!.parameters });
  for (const [name, [first]] of model.tasks) model.nodes.set(taskId(name), { id: taskId(name), kind: "task", name, at: first!.nameAt });
  for (const [name, [first]] of model.deployments) model.nodes.set(deploymentId(name), { id: deploymentId(name), kind: "deployment", name, at: first!.nameAt });
  for (const [name, [first]] of model.automations) model.nodes.set(automationId(name), { id: automationId(name), kind: "automation", name, at: first!.nameAt });
  addCallEdges(model);
  for (const deployment of facts.flatMap((f) => f.deployments)) {
    if (!model.flows.has(deployment.flowName)) continue;
    model.edges.push({ from: deploymentId(deployment.fullName), to: flowId(deployment.flowName), kind: "deployment-of", conditional: false, guard: undefined, waiting: true, at: deployment.at });
  }
  return model;
}

/** Edges from flow bodies, expanding the helper functions they call; then trigger edges. */
function addCallEdges(model: WorkspaceModel): void {
  const byContext = group(model.facts.flatMap((f) => f.edges).filter((e) => e.from.kind === "context"), (e) => (e.from as { key: string }).key);
  const starts: { key: string; nodeId: string | undefined }[] = [];
  for (const f of model.facts) {
    for (const flow of f.flows) starts.push({ key: flow.key, nodeId: flow.name === undefined ? undefined : flowId(flow.name) });
    for (const task of f.tasks) starts.push({ key: task.key, nodeId: undefined });
  }
  for (const start of starts) {
    const visited = new Set<string>();
    const stack: { edge: EdgeFact; guard: FileLoc | undefined }[] = (byContext.get(start.key) ?? []).map((edge) => ({ edge, guard: edge.guard })).reverse();
    while (stack.length > 0) {
      const { edge, guard } = stack.pop()!;
      if (edge.to.kind === "helper") {
        if (visited.has(edge.to.key)) continue;
        visited.add(edge.to.key);
        model.reachedHelpers.add(edge.to.key);
        const inner = byContext.get(edge.to.key) ?? [];
        for (let i = inner.length - 1; i >= 0; i--) stack.push({ edge: inner[i]!, guard: guard ?? inner[i]!.guard });
        continue;
      }
      if (start.nodeId === undefined || edge.kind === "helper") continue;
      const to = targetId(model, edge.to);
      if (to !== undefined) model.edges.push(graphEdge(start.nodeId, to, edge, guard));
    }
  }
  for (const edge of model.facts.flatMap((f) => f.edges)) {
    if (edge.from.kind === "context" || edge.kind === "helper") continue;
    const to = targetId(model, edge.to);
    if (to === undefined) continue;
    for (const from of sourceIds(model, edge.from)) model.edges.push(graphEdge(from, to, edge, edge.guard));
  }
}

function graphEdge(from: string, to: string, edge: EdgeFact, guard: FileLoc | undefined): GraphEdge {
  const result: GraphEdge = { from, to, kind: edge.kind as EdgeKind, conditional: guard !== undefined, guard, waiting: edge.waiting, at: edge.at };
  if (edge.via !== undefined) result.via = edge.via;
  if (edge.states !== undefined) result.states = edge.states;
  if (edge.waitedWithWaitForFlowRun) result.waitedWithWaitForFlowRun = true;
  if (edge.redundantForCycles) result.redundantForCycles = true;
  return result;
}

function targetId(model: WorkspaceModel, to: TargetRef): string | undefined {
  switch (to.kind) {
    case "flow":
      return model.flows.has(to.name) ? flowId(to.name) : undefined;
    case "task":
      return model.tasks.has(to.name) ? taskId(to.name) : undefined;
    case "deployment":
      return model.deployments.has(to.name) ? deploymentId(to.name) : undefined;
    case "flow-of-deployment": {
      const flowName = model.deployments.get(to.name)?.[0]?.flowName;
      return flowName !== undefined && model.flows.has(flowName) ? flowId(flowName) : undefined;
    }
    case "helper":
      return undefined;
  }
}

function sourceIds(model: WorkspaceModel, from: SourceRef): string[] {
  switch (from.kind) {
    case "flow":
    case "flow-of-deployment": {
      const id = targetId(model, from);
      return id === undefined ? [] : [id];
    }
    case "flows-tagged":
      return [...model.flows].filter(([, decls]) => decls.some((d) => from.tags.every((t) => d.tags.includes(t)))).map(([name]) => flowId(name));
    case "any-flow":
      return [...model.flows.keys()].map(flowId);
    case "context":
      return [];
  }
}
