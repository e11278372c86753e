import { stronglyConnectedComponents, type GraphJson } from "../analysis/index.js";

/**
 * Indices of the edges that lie on some cycle: both ends in one strongly connected component
 * (or an edge from a node to itself). Iterative, like all cycle finding here.
 */
export function cycleEdgeIndices(graph: GraphJson): Set<number> {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const successors: number[][] = graph.nodes.map(() => []);
  for (const e of graph.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from !== undefined && to !== undefined) successors[from]!.push(to);
  }
  const component = new Int32Array(graph.nodes.length).fill(-1);
  stronglyConnectedComponents(graph.nodes.length, successors).forEach((members, c) => {
    if (members.length > 1) for (const m of members) component[m] = c;
  });
  const onCycle = new Set<number>();
  graph.edges.forEach((e, i) => {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined) return;
    if (from === to || (component[from] !== -1 && component[from] === component[to])) onCycle.add(i);
  });
  return onCycle;
}
