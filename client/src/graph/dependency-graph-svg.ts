/**
 * The dependency graph view (graph-view-model.ts) laid out and drawn as SVG (svg-tree.ts): markup
 * for the extension's webview and its export, DOM for the dashboard. Colours
 * are not in here: elements carry classes (`node-flow`, `edge-run-deployment-no-wait`,
 * `conditional`, `cycle`) that the webview's stylesheet colours with VS Code's theme variables
 * (the dashboard's with its own), and an export embeds that stylesheet with the variables resolved.
 */
import { EDGE_STYLES, type GraphView } from "../../../server/src/analysis/graph-view-model.js";
import { edgePath, layoutGraph, type Layout, type LayoutEdge, type LayoutNode } from "./graph-layout.js";
import { el, toSvgString, type SvgNode } from "./svg-tree.js";

export interface DependencySvg {
  svg: string;
  layout: Layout;
}

export interface DependencySvgOptions {
  /** The node drawn highlighted (a code lens's `focus`). */
  focus?: string;
  /** CSS put inside the SVG, for a file that must stand alone. */
  embeddedStyle?: string;
}

/** What the view's nodes and edges are to the layout: labels, a second line, the frame each is drawn in. */
export function dependencyLayoutInput(view: GraphView): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  return {
    nodes: view.nodes.map((n) => {
      const more = detail(n);
      return { id: n.id, label: n.label, ...(more !== undefined ? { detail: more } : {}), ...(n.within !== undefined ? { group: n.within } : {}) };
    }),
    edges: view.edges.map((e) => ({ id: e.id, from: e.from, to: e.to })),
  };
}

/** Lays the view out and draws it: what a benchmark, a test and an export do in one step. */
export function renderDependencySvg(view: GraphView, options: DependencySvgOptions = {}): DependencySvg {
  const { nodes, edges } = dependencyLayoutInput(view);
  const layout = layoutGraph(nodes, edges);
  return { svg: drawDependencySvg(view, layout, options), layout };
}

/** The second line of a node: a flow's task toggle, a folder's count. */
function detail(n: GraphView["nodes"][number]): string | undefined {
  if (n.folder) return `${n.folder.expanded ? "▾" : "▸"} ${n.folder.nodes} node${n.folder.nodes === 1 ? "" : "s"}`;
  return n.tasks ? `${n.tasks.expanded ? "▾" : "▸"} ${n.tasks.count} task${n.tasks.count === 1 ? "" : "s"}` : undefined;
}

/** The SVG of a view laid out already (the webview lays out on a worker), as markup. */
export function drawDependencySvg(view: GraphView, layout: Layout, options: DependencySvgOptions = {}): string {
  return toSvgString(dependencySvgTree(view, layout, options));
}

/** The drawing of a view laid out already, as a tree (svg-tree.ts): markup for the webview, DOM for the dashboard. */
export function dependencySvgTree(view: GraphView, layout: Layout, options: DependencySvgOptions = {}): SvgNode {
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  const markers = [...EDGE_STYLES, "cycle"].map((style) =>
    el("marker", { id: `arrow-${style}`, class: `arrow arrow-${style}`, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, el("path", { d: "M0,0 L10,5 L0,10 z" })),
  );
  const frames = [...layout.groups.values()]
    .sort((a, b) => b.width * b.height - a.width * a.height)
    .map((frame) => {
      const x = frame.x - frame.width / 2;
      const y = frame.y - frame.height / 2;
      return el(
        "g",
        { class: "frame", "data-folder": frame.id, transform: `translate(${round(x)},${round(y)})` },
        el("rect", { width: round(frame.width), height: round(frame.height), rx: "6" }),
        el("text", { class: "toggle", "data-collapse": frame.id, x: "8", y: "16", tabindex: "0", role: "button" }, el("title", {}, `Fold ${frame.id} into one node again`), `▾ ${frame.id}`),
      );
    });
  const edges = view.edges.map((e) => {
    const onCycle = e.cycles.length > 0;
    const classes = ["edge", `edge-${e.style}`, ...(e.conditional ? ["conditional"] : []), ...(onCycle ? ["cycle"] : [])].join(" ");
    const title = [`${e.label} (${e.aggregate !== undefined && e.aggregate > 1 ? "the first at " : ""}${e.file}:${e.line})`, ...e.cycles.map((c) => `${view.cycles[c]!.code}: ${view.cycles[c]!.message}`)].join("\n");
    return el("path", { class: classes, "data-edge": e.id, "data-from": e.from, "data-to": e.to, d: edgePath(layout.edges.get(e.id) ?? []), "marker-end": `url(#arrow-${onCycle ? "cycle" : e.style})` }, el("title", {}, title));
  });
  const nodes = view.nodes.map((n) => {
    const p = layout.nodes.get(n.id)!;
    const classes = ["node", `node-${n.kind}`, ...(n.matched ? ["matched"] : []), ...(n.cycles.length > 0 ? ["cycle"] : []), ...(options.focus === n.id ? ["focus"] : [])].join(" ");
    const where = n.folder ? `${n.folder.nodes} nodes in this folder: click to draw them` : `${n.file}:${n.line}`;
    const title = [`${n.label} — ${where}`, ...n.cycles.map((c) => `${view.cycles[c]!.code}: ${view.cycles[c]!.message}`)].join("\n");
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    const at = n.folder ? { "data-folder": n.folder.path } : { "data-file": n.file, "data-line": n.line };
    const more = detail(n);
    return el(
      "g",
      { class: classes, "data-id": n.id, ...at, transform: `translate(${round(x)},${round(y)})`, tabindex: "0", role: "button" },
      el("title", {}, title),
      el("rect", { width: p.width, height: p.height, rx: n.kind === "flow" ? 14 : 3 }),
      el("text", { class: "label", x: p.width / 2, y: "20", "text-anchor": "middle" }, n.label),
      ...(more !== undefined ? [el("text", { class: "toggle", "data-toggle": n.id, x: p.width / 2, y: "38", "text-anchor": "middle" }, more)] : []),
    );
  });
  return el(
    "svg",
    { xmlns: "http://www.w3.org/2000/svg", class: "dependency-graph", width, height, viewBox: `0 0 ${width} ${height}` },
    ...(options.embeddedStyle !== undefined ? [el("style", {}, options.embeddedStyle)] : []),
    el("defs", {}, ...markers),
    el("g", { class: "viewport" }, el("g", { class: "frames" }, ...frames), el("g", { class: "edges" }, ...edges), el("g", { class: "nodes" }, ...nodes)),
  );
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
