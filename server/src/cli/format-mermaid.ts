import type { GraphJson } from "../analysis/index.js";
import { cycleEdgeIndices } from "./cycle-edges.js";

const SHAPES: Record<GraphJson["nodes"][number]["kind"], [string, string]> = {
  flow: ["([", "])"],
  task: ["[", "]"],
  deployment: ["[/", "/]"],
  automation: ["{{", "}}"],
};

/** Colours per edge kind, so that a subflow, a deployment run and a trigger read apart. */
export const EDGE_COLOURS: Record<GraphJson["edges"][number]["kind"], string> = {
  subflow: "#1f6feb",
  task: "#8b949e",
  "run-deployment": "#8250df",
  "deployment-of": "#57606a",
  "waits-for": "#bf8700",
  triggers: "#1a7f37",
};

export const CYCLE_COLOUR = "#cf222e";

/**
 * The graph as a Mermaid flowchart: node shapes by kind, edges labelled and coloured by kind,
 * conditional edges dashed, edges on a cycle drawn thick and red.
 */
export function toMermaid(graph: GraphJson): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["flowchart LR"];
  for (const n of graph.nodes) {
    const [open, close] = SHAPES[n.kind];
    lines.push(`  ${ids.get(n.id)}${open}"${escape(`${n.kind}: ${n.name}`)}"${close}`);
  }
  const cycles = cycleEdgeIndices(graph);
  const styles: string[] = [];
  let drawn = 0;
  graph.edges.forEach((e, i) => {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from === undefined || to === undefined) return;
    const onCycle = cycles.has(i);
    const label = `${e.kind}${e.conditional ? " (conditional)" : ""}${onCycle ? " ⟲ cycle" : ""}`;
    lines.push(`  ${from} ${e.conditional ? "-.->" : onCycle ? "==>" : "-->"}|"${escape(label)}"| ${to}`);
    const stroke = onCycle ? `stroke:${CYCLE_COLOUR},stroke-width:3px` : `stroke:${EDGE_COLOURS[e.kind]},stroke-width:1.5px`;
    styles.push(`  linkStyle ${drawn} ${stroke}${e.conditional ? ",stroke-dasharray:5 5" : ""}`);
    drawn++;
  });
  return `${[...lines, ...styles].join("\n")}\n`;
}

function escape(text: string): string {
  return text.replace(/"/g, "#quot;");
}
