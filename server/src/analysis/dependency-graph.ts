import { displayPath } from "../../../runtime/src/file-paths.js";
import { Graph } from "@dagrejs/graphlib";
import type { EdgeKind } from "./file-facts.js";
import type { JsonSchema } from "./json-schema.js";
import type { GraphEdge, GraphNode, NodeKind, WorkspaceModel } from "./workspace-model.js";

/** The graph as `tributary graph --format json` prints it (DESIGN.md §3); `line` is 1-based. */
export interface GraphJson {
  nodes: { id: string; kind: NodeKind; name: string; file: string; line: number; parameters?: JsonSchema }[];
  edges: { from: string; to: string; kind: EdgeKind; conditional: boolean; file: string; line: number }[];
}

export type DependencyGraph = Graph<unknown, GraphNode, GraphEdge>;

/** The model as a graphlib multigraph: one edge per call site, named by its index. */
export function toDependencyGraph(model: WorkspaceModel): DependencyGraph {
  const graph: DependencyGraph = new Graph({ directed: true, multigraph: true });
  for (const node of model.nodes.values()) graph.setNode(node.id, node);
  model.edges.forEach((edge, i) => graph.setEdge(edge.from, edge.to, edge, String(i)));
  return graph;
}

/** `file` is relative to `relativeTo`, with forward slashes. */
export function toGraphJson(model: WorkspaceModel, relativeTo: string): GraphJson {
  const file = (absolute: string) => displayPath(relativeTo, absolute);
  const nodes = [...model.nodes.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((node) => {
      const json: GraphJson["nodes"][number] = { id: node.id, kind: node.kind, name: node.name, file: file(node.at.file), line: node.at.loc.range.start.line + 1 };
      if (node.parameters) json.parameters = node.parameters;
      return json;
    });
  const edges = model.edges.map((edge) => ({ from: edge.from, to: edge.to, kind: edge.kind, conditional: edge.conditional, file: file(edge.at.file), line: edge.at.loc.range.start.line + 1 }));
  return { nodes, edges };
}
