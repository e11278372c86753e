import type { GraphView, ViewNodeKind } from "../analysis/graph-view-model.js";
import { CYCLE_COLOUR, EDGE_COLOURS } from "./format-mermaid.js";

const SHAPES: Record<ViewNodeKind, string> = {
  flow: "box, style=rounded",
  task: "box",
  deployment: "parallelogram",
  automation: "hexagon",
  folder: "folder",
};

/**
 * The graph view (graph-view-model.ts, the model the VS Code graph view draws) in Graphviz DOT:
 * shapes by node kind, edges coloured and labelled by style, conditional edges dashed, edges on a
 * reported cycle red and bold, with the cycle's message as tooltip.
 */
export function toDot(view: GraphView): string {
  const lines = ["digraph tributary {", "  rankdir=LR;", '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const n of view.nodes) {
    lines.push(`  ${quote(n.id)} [label=${quote(n.label)}, shape=${SHAPES[n.kind]}, tooltip=${quote(`${n.file}:${n.line}`)}];`);
  }
  for (const e of view.edges) {
    const onCycle = e.cycles.length > 0;
    const tooltip = onCycle ? e.cycles.map((c) => `${view.cycles[c]!.code}: ${view.cycles[c]!.message}`).join("\n") : `${e.file}:${e.line}`;
    const attributes = [
      `label=${quote(onCycle ? `${e.label} (cycle)` : e.label)}`,
      `color=${quote(onCycle ? CYCLE_COLOUR : EDGE_COLOURS[e.style])}`,
      ...(e.conditional ? ["style=dashed"] : []),
      ...(onCycle ? ["penwidth=2.5"] : []),
      `tooltip=${quote(tooltip)}`,
    ];
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [${attributes.join(", ")}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
