/**
 * A run graph (run-graph-model.ts) laid out left to right and drawn as SVG (svg-tree.ts): markup
 * for the extension's webview, DOM for the dashboard. The state classes are coloured by each
 * one's stylesheet; every node also says its state in text (its second line and its title).
 */
import { edgePath, layoutGraph, type Layout } from "./graph-layout.js";
import type { RunGraph } from "./run-graph-model.js";
import { el, toSvgString, type SvgNode } from "./svg-tree.js";

/** Lays the run graph out and draws it as a tree: `renderRunSvg` writes it as markup, the dashboard builds it as DOM. */
export function runSvgTree(graph: RunGraph, selected?: string): { tree: SvgNode; layout: Layout } {
  const layout = layoutGraph(
    graph.nodes.map((n) => ({ id: n.id, label: n.label, detail: n.detail })),
    graph.edges,
    "LR",
  );
  const marker = el("marker", { id: "arrow-run", class: "arrow arrow-run", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, el("path", { d: "M0,0 L10,5 L0,10 z" }));
  const edges = graph.edges.map((e) => el("path", { class: "edge edge-run", d: edgePath(layout.edges.get(e.id) ?? []), "marker-end": "url(#arrow-run)" }));
  const nodes = graph.nodes.map((n) => {
    const p = layout.nodes.get(n.id)!;
    const classes = ["node", "run-node", `run-${n.kind}`, `state-${n.stateClass}`, ...(selected === n.id ? ["selected"] : [])].join(" ");
    return el(
      "g",
      { class: classes, "data-id": n.id, "data-kind": n.kind, "data-run": n.runId, "data-state": n.stateName, transform: `translate(${p.x - p.width / 2},${p.y - p.height / 2})`, tabindex: "0", role: "button" },
      el("title", {}, `${n.label}: ${n.stateName}`),
      el("rect", { width: p.width, height: p.height, rx: n.kind === "flow" ? 14 : 3 }),
      el("text", { class: "label", x: p.width / 2, y: "20", "text-anchor": "middle" }, n.label),
      el("text", { class: "detail", x: p.width / 2, y: "38", "text-anchor": "middle" }, n.detail),
    );
  });
  const tree = el(
    "svg",
    { xmlns: "http://www.w3.org/2000/svg", class: "run-graph", width: Math.ceil(layout.width), height: Math.ceil(layout.height) },
    el("defs", {}, marker),
    el("g", { class: "viewport" }, el("g", { class: "edges" }, ...edges), el("g", { class: "nodes" }, ...nodes)),
  );
  return { tree, layout };
}

export function renderRunSvg(graph: RunGraph, selected?: string): { svg: string; layout: Layout } {
  const { tree, layout } = runSvgTree(graph, selected);
  return { svg: toSvgString(tree), layout };
}
