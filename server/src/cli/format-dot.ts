import type { GraphJson } from "../analysis/index.js";
import { cycleEdgeIndices } from "./cycle-edges.js";
import { CYCLE_COLOUR, EDGE_COLOURS } from "./format-mermaid.js";

const SHAPES: Record<GraphJson["nodes"][number]["kind"], string> = {
  flow: "box, style=rounded",
  task: "box",
  deployment: "parallelogram",
  automation: "hexagon",
};

/**
 * The graph in Graphviz DOT: shapes by node kind, edges coloured and labelled by kind,
 * conditional edges dashed, edges on a cycle red and bold.
 */
export function toDot(graph: GraphJson): string {
  const lines = ["digraph tributary {", "  rankdir=LR;", '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const n of graph.nodes) {
    lines.push(`  ${quote(n.id)} [label=${quote(`${n.kind}: ${n.name}`)}, shape=${SHAPES[n.kind]}, tooltip=${quote(`${n.file}:${n.line}`)}];`);
  }
  const cycles = cycleEdgeIndices(graph);
  graph.edges.forEach((e, i) => {
    const onCycle = cycles.has(i);
    const attributes = [
      `label=${quote(onCycle ? `${e.kind} (cycle)` : e.kind)}`,
      `color=${quote(onCycle ? CYCLE_COLOUR : EDGE_COLOURS[e.kind])}`,
      ...(e.conditional ? ["style=dashed"] : []),
      ...(onCycle ? ["penwidth=2.5"] : []),
      `tooltip=${quote(`${e.file}:${e.line}`)}`,
    ];
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [${attributes.join(", ")}];`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
