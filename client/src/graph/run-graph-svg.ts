/** A run graph (run-graph-model.ts) laid out top to bottom and drawn as an SVG string; the state classes are coloured by the webview's stylesheet. */
import { edgePath, escapeXml, layoutGraph, type Layout } from "./graph-layout.js";
import type { RunGraph } from "./run-graph-model.js";

export function renderRunSvg(graph: RunGraph, selected?: string): { svg: string; layout: Layout } {
  const layout = layoutGraph(
    graph.nodes.map((n) => ({ id: n.id, label: n.label, detail: n.detail })),
    graph.edges,
    "LR",
  );
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="run-graph" width="${Math.ceil(layout.width)}" height="${Math.ceil(layout.height)}">`);
  out.push('<defs><marker id="arrow-run" class="arrow arrow-run" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>');
  out.push('<g class="viewport"><g class="edges">');
  for (const e of graph.edges) out.push(`<path class="edge edge-run" d="${edgePath(layout.edges.get(e.id) ?? [])}" marker-end="url(#arrow-run)"/>`);
  out.push('</g><g class="nodes">');
  for (const n of graph.nodes) {
    const p = layout.nodes.get(n.id)!;
    const classes = ["node", "run-node", `run-${n.kind}`, `state-${n.stateClass}`, ...(selected === n.id ? ["selected"] : [])].join(" ");
    out.push(`<g class="${classes}" data-id="${escapeXml(n.id)}" data-kind="${n.kind}" data-run="${escapeXml(n.runId)}" data-state="${escapeXml(n.stateName)}" transform="translate(${p.x - p.width / 2},${p.y - p.height / 2})" tabindex="0" role="button">`);
    out.push(`<title>${escapeXml(`${n.label}: ${n.stateName}`)}</title><rect width="${p.width}" height="${p.height}" rx="${n.kind === "flow" ? 14 : 3}"/>`);
    out.push(`<text class="label" x="${p.width / 2}" y="20" text-anchor="middle">${escapeXml(n.label)}</text>`);
    out.push(`<text class="detail" x="${p.width / 2}" y="38" text-anchor="middle">${escapeXml(n.detail)}</text></g>`);
  }
  out.push("</g></g></svg>");
  return { svg: out.join(""), layout };
}
