/// <reference lib="dom" />
/**
 * The dependency graph webview: builds the shared view model (graph-view-model.ts) from the graph
 * the extension sends, lays it out with dagre on a worker and draws it as SVG; filter, task
 * folding, zoom, pan, fit, focus, export, and a click on a node asks the extension to reveal its
 * definition. Above a few hundred nodes it starts with the overview by folder: a click on a folder
 * draws its nodes in a frame, a click on the frame's title folds them again. Its state (filter,
 * expanded flows and folders, focus, zoom) survives the panel being hidden (setState).
 */
import type { GraphDetailsJson } from "../../../../server/src/analysis/graph-details.js";
import { EDGE_STYLE_LABELS, EDGE_STYLES, OVERVIEW_ABOVE, toGraphView, type GraphView, type GraphViewOptions } from "../../../../server/src/analysis/graph-view-model.js";
import { dependencyLayoutInput, drawDependencySvg } from "../dependency-graph-svg.js";
import type { Layout } from "../graph-layout.js";
import type { DependencyGraphMessage, DependencyGraphRequest } from "../graph-messages.js";
import { OffThreadLayout } from "./layout-off-thread.js";
import { vscodeApi } from "./vscode-api.js";
import { attachZoomPan, resolvedStylesheet, type ZoomPan } from "./zoom-pan.js";

interface State {
  filter: string;
  expanded: string[];
  /** Folders of the overview whose nodes are drawn. */
  folders?: string[];
  focus?: string;
  transform?: { x: number; y: number; k: number };
}

const vscode = vscodeApi<State>();
const state: State = vscode.getState() ?? { filter: "", expanded: [] };
const post = (message: DependencyGraphRequest) => vscode.postMessage(message);

const canvas = document.getElementById("canvas")!;
const filterInput = document.getElementById("filter") as HTMLInputElement;
const summary = document.getElementById("summary")!;
const cyclesList = document.getElementById("cycles")!;
const foldersButton = document.getElementById("folders") as HTMLButtonElement;
let graph: GraphDetailsJson | undefined;
let graphText = "";
/** A folder just opened: the view moves to its frame once it is drawn. */
let openedFolder: string | undefined;
/** A node to focus on: the folders that hold it are opened by the next render. */
let reveal: string | undefined;
let view: GraphView | undefined;
let layout: Layout | undefined;
let zoom: ZoomPan | undefined;
let pendingCentre = false;
const layouts = new OffThreadLayout();
/** The newest render asked for: a layout that comes back after a newer request is dropped. */
let renderSeq = 0;

filterInput.value = state.filter;
buildLegend();

window.addEventListener("message", (event: MessageEvent<DependencyGraphMessage>) => {
  const message = event.data;
  if (message.type === "graph") {
    const first = graph === undefined;
    // Diagnostics change far more often than the graph: the same graph again is not drawn again.
    const text = JSON.stringify(message.graph);
    if (text === graphText && pendingCentre === false) return;
    graphText = text;
    graph = message.graph;
    render(first && state.transform === undefined ? "fit" : "keep");
  } else if (message.type === "focus") {
    state.focus = message.id;
    // A folded task or a filter must not hide the node asked for.
    if (message.id.startsWith("task:") || (view && !view.nodes.some((n) => n.id === message.id))) state.filter = "";
    reveal = message.id;
    filterInput.value = state.filter;
    pendingCentre = true;
    if (graph) render("keep");
  } else if (message.type === "error") {
    summary.textContent = message.message;
  }
});

let filterTimer: number | undefined;
filterInput.addEventListener("input", () => {
  window.clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => {
    state.filter = filterInput.value;
    render("fit");
  }, 150);
});
document.getElementById("fit")!.addEventListener("click", () => zoom?.fit());
/** Above this many nodes the view is not readable whole: ask for a filter or the overview instead. */
const MAX_EXPANDED_NODES = 4000;

document.getElementById("expand")!.addEventListener("click", () => {
  if (!graph) return;
  const expanded = graph.nodes.filter((n) => n.kind === "flow").map((n) => n.id);
  const count = toGraphView(graph, viewOptions({ expanded })).nodes.length;
  if (count > MAX_EXPANDED_NODES) {
    summary.textContent = `Expanding every flow would draw ${count} nodes: filter by name first, or expand one flow with its ▸ tasks toggle.`;
    return;
  }
  state.expanded = expanded;
  render("fit");
});
document.getElementById("folders")!.addEventListener("click", () => {
  state.folders = [];
  render("fit");
});
document.getElementById("collapse")!.addEventListener("click", () => {
  state.expanded = [];
  render("fit");
});
document.getElementById("export")!.addEventListener("click", () => {
  if (!view || !layout) return;
  post({ type: "exportSvg", svg: drawDependencySvg(view, layout, { embeddedStyle: resolvedStylesheet(), ...(state.focus ? { focus: state.focus } : {}) }) });
});

canvas.addEventListener("click", (event) => {
  if (zoom?.dragged) return;
  const target = event.target as Element;
  const collapse = target.closest("[data-collapse]");
  if (collapse) {
    fold(collapse.getAttribute("data-collapse")!);
    return;
  }
  const toggle = target.closest("[data-toggle]");
  if (toggle && !toggle.closest("[data-folder]")) {
    const id = toggle.getAttribute("data-toggle")!;
    state.expanded = state.expanded.includes(id) ? state.expanded.filter((e) => e !== id) : [...state.expanded, id];
    render("keep");
    return;
  }
  const node = target.closest(".node");
  if (node) activate(node);
});
canvas.addEventListener("keydown", (event) => {
  const collapse = (event.target as Element).closest("[data-collapse]");
  if (collapse && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    fold(collapse.getAttribute("data-collapse")!);
    return;
  }
  const node = (event.target as Element).closest(".node");
  if (node && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    activate(node);
  }
});

/** Folding a folder folds the folders inside it too. */
function fold(folder: string): void {
  state.folders = (state.folders ?? []).filter((f) => f !== folder && !f.startsWith(`${folder}/`));
  render("keep");
}

/** A folder's node draws its members; any other node opens its definition. */
function activate(node: Element): void {
  const folder = node.getAttribute("data-folder");
  if (folder !== null) {
    state.folders = [...(state.folders ?? []), folder];
    openedFolder = folder;
    render("keep");
    return;
  }
  post({ type: "reveal", file: node.getAttribute("data-file")!, line: Number(node.getAttribute("data-line")) });
}

function viewOptions(overrides: { expanded?: string[] } = {}): GraphViewOptions {
  const folders = { above: OVERVIEW_ABOVE, expanded: new Set(state.folders ?? []), ...(reveal !== undefined ? { reveal } : {}) };
  return { filter: state.filter, expandedFlows: new Set(overrides.expanded ?? state.expanded), folders };
}

function render(position: "fit" | "keep"): void {
  if (!graph) return;
  const seq = ++renderSeq;
  const next = toGraphView(graph, viewOptions());
  if (reveal !== undefined) {
    // The folders opened to show the focus stay open, as if clicked.
    if (next.expandedFolders !== undefined) state.folders = next.expandedFolders;
    reveal = undefined;
  }
  const { nodes, edges } = dependencyLayoutInput(next);
  if (nodes.length > OVERVIEW_ABOVE) summary.textContent = `Laying out ${nodes.length} nodes…`;
  layouts.layout(nodes, edges).then(
    (laidOut) => {
      if (seq === renderSeq) draw(next, laidOut, position);
    },
    (error: unknown) => {
      if (seq === renderSeq) summary.textContent = `The graph could not be laid out: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
}

function draw(next: GraphView, laidOut: Layout, position: "fit" | "keep"): void {
  view = next;
  layout = laidOut;
  canvas.innerHTML = drawDependencySvg(view, layout, state.focus ? { focus: state.focus } : {});
  const element = canvas.querySelector("svg")!;
  element.setAttribute("width", "100%");
  element.setAttribute("height", "100%");
  element.removeAttribute("viewBox");
  zoom = attachZoomPan(element, layout, (t) => {
    state.transform = t;
    vscode.setState(state);
  });
  const focused = state.focus ? layout.nodes.get(state.focus) : undefined;
  const frame = openedFolder !== undefined ? layout.groups.get(openedFolder) : undefined;
  openedFolder = undefined;
  if (frame) zoom.show(frame); else if (pendingCentre && focused) {
    pendingCentre = false;
    // A graph that fits readably is shown whole (the focus is highlighted); a big one is centred on the focus.
    zoom.fit();
    if (zoom.transform().k < 0.6) zoom.centreOn(focused.x, focused.y);
  } else if (position === "keep" && state.transform) zoom.restore(state.transform);
  else zoom.fit();
  vscode.setState(state);
  const folded = view.folders !== undefined && view.folders.length > 0 ? `, ${view.folders.length} folders folded (click one to draw its nodes)` : "";
  const counts = `${view.nodes.length} nodes, ${view.edges.length} edges` + (view.hiddenTasks > 0 ? `, ${view.hiddenTasks} tasks folded` : "") + folded;
  summary.textContent = graph!.nodes.length === 0 ? "No flows found in this workspace yet." : view.nodes.length === 0 ? `Nothing is named like “${state.filter}”.` : counts;
  // Where the layout ran, for the end-to-end test: "worker" unless the worker could not start.
  canvas.dataset.layout = layouts.offThread ? "worker" : "page";
  foldersButton.hidden = view.expandedFolders === undefined || view.expandedFolders.length === 0;
  renderCycles(view);
}

function renderCycles(v: GraphView): void {
  cyclesList.replaceChildren();
  if (v.cycles.length === 0) {
    const none = document.createElement("li");
    none.className = "no-cycles";
    none.textContent = "No dependency cycles or trigger loops.";
    cyclesList.append(none);
    return;
  }
  v.cycles.forEach((cycle, index) => {
    const item = document.createElement("li");
    item.className = `cycle-item ${cycle.severity}`;
    item.dataset.cycle = String(index);
    const code = document.createElement("strong");
    code.textContent = `${cycle.code} `;
    const where = document.createElement("a");
    where.textContent = `${cycle.file}:${cycle.line}`;
    where.href = "#";
    where.addEventListener("click", (event) => {
      event.preventDefault();
      post({ type: "reveal", file: cycle.file, line: cycle.line });
    });
    item.append(code, document.createTextNode(`${cycle.message} `), where);
    item.addEventListener("mouseenter", () => highlightCycle(index, true));
    item.addEventListener("mouseleave", () => highlightCycle(index, false));
    cyclesList.append(item);
  });
}

function highlightCycle(index: number, on: boolean): void {
  if (!view) return;
  const ids = new Set(view.edges.filter((e) => e.cycles.includes(index)).map((e) => e.id));
  canvas.querySelectorAll(".edge").forEach((edge) => edge.classList.toggle("highlight", on && ids.has(edge.getAttribute("data-edge")!)));
}

function buildLegend(): void {
  const list = document.getElementById("edge-legend")!;
  for (const style of [...EDGE_STYLES, "conditional", "cycle"] as const) {
    const item = document.createElement("li");
    const sample = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    sample.setAttribute("width", "36");
    sample.setAttribute("height", "10");
    const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    line.setAttribute("x1", "0");
    line.setAttribute("y1", "5");
    line.setAttribute("x2", "36");
    line.setAttribute("y2", "5");
    line.setAttribute("class", style === "conditional" ? "edge edge-task conditional" : style === "cycle" ? "edge cycle" : `edge edge-${style}`);
    sample.append(line);
    const label = style === "conditional" ? "conditional (dashed)" : style === "cycle" ? "on a cycle (TRB100/TRB101)" : EDGE_STYLE_LABELS[style];
    item.append(sample, document.createTextNode(` ${label}`));
    list.append(item);
  }
}

post({ type: "ready" });
