import type { EdgeStyle, GraphView, ViewNodeKind } from "../analysis/graph-view-model.js";

const SHAPES: Record<ViewNodeKind, [string, string]> = {
  flow: ["([", "])"],
  task: ["[", "]"],
  deployment: ["[/", "/]"],
  automation: ["{{", "}}"],
  folder: ["[[", "]]"],
};

/** Colours per edge style, so that a subflow, a deployment run and a trigger read apart. */
export const EDGE_COLOURS: Record<EdgeStyle, string> = {
  subflow: "#1f6feb",
  task: "#8b949e",
  "run-deployment": "#8250df",
  "run-deployment-no-wait": "#bf3989",
  "deployment-of": "#57606a",
  "waits-for": "#bf8700",
  triggers: "#1a7f37",
  aggregate: "#57606a",
};

export const CYCLE_COLOUR = "#cf222e";

/**
 * The graph view (graph-view-model.ts, the model the VS Code graph view draws) as a Mermaid
 * flowchart: node shapes by kind, edges labelled and coloured by style, conditional edges dashed,
 * edges on a reported cycle drawn thick and red.
 */
export function toMermaid(view: GraphView): string {
  const ids = new Map(view.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["flowchart LR"];
  for (const n of view.nodes) {
    const [open, close] = SHAPES[n.kind];
    lines.push(`  ${ids.get(n.id)}${open}"${escape(n.label)}"${close}`);
  }
  const styles: string[] = [];
  view.edges.forEach((e, drawn) => {
    const onCycle = e.cycles.length > 0;
    lines.push(`  ${ids.get(e.from)} ${e.conditional ? "-.->" : onCycle ? "==>" : "-->"}|"${escape(`${e.label}${onCycle ? " ⟲ cycle" : ""}`)}"| ${ids.get(e.to)}`);
    const stroke = onCycle ? `stroke:${CYCLE_COLOUR},stroke-width:3px` : `stroke:${EDGE_COLOURS[e.style]},stroke-width:1.5px`;
    styles.push(`  linkStyle ${drawn} ${stroke}${e.conditional ? ",stroke-dasharray:5 5" : ""}`);
  });
  return `${[...lines, ...styles].join("\n")}\n`;
}

/**
 * Text inside a quoted Mermaid label: Mermaid's entity codes for what would end the label (`"`), start
 * an entity (`#`) or read as HTML (`<`, `>`); spaces, slashes and brackets are plain text inside quotes.
 */
function escape(text: string): string {
  return text.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
