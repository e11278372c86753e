/// <reference lib="dom" />
/**
 * The run graph webview: draws one flow run's task runs and subflow runs (run-graph-model.ts),
 * redrawn whenever the extension sends the run again (live, from the event stream); a click on a
 * node asks for its state history and logs, shown in the side panel.
 */
import type { RunGraphMessage, RunGraphRequest, RunNodeDetails } from "../graph-messages.js";
import { toRunGraph, type RunGraphData } from "../run-graph-model.js";
import { renderRunSvg } from "../run-graph-svg.js";
import { vscodeApi } from "./vscode-api.js";
import { attachZoomPan, type ZoomPan } from "./zoom-pan.js";

interface State {
  selected?: string;
  transform?: { x: number; y: number; k: number };
}

const vscode = vscodeApi<State>();
const state: State = vscode.getState() ?? {};
const post = (message: RunGraphRequest) => vscode.postMessage(message);
const canvas = document.getElementById("canvas")!;
const title = document.getElementById("title")!;
const details = document.getElementById("details")!;
let data: RunGraphData | undefined;
let zoom: ZoomPan | undefined;

window.addEventListener("message", (event: MessageEvent<RunGraphMessage>) => {
  const message = event.data;
  if (message.type === "run") {
    const first = data === undefined;
    data = message.data;
    render(first && state.transform === undefined);
    if (first && state.selected) select(state.selected);
  } else if (message.type === "details") {
    showDetails(message.details);
  } else {
    title.textContent = message.message;
  }
});

document.getElementById("fit")!.addEventListener("click", () => zoom?.fit());
canvas.addEventListener("click", (event) => {
  if (zoom?.dragged) return;
  const node = (event.target as Element).closest(".node");
  if (node) select(node.getAttribute("data-id")!);
});
canvas.addEventListener("keydown", (event) => {
  const node = (event.target as Element).closest(".node");
  if (node && (event.key === "Enter" || event.key === " ")) select(node.getAttribute("data-id")!);
});

function select(id: string): void {
  state.selected = id;
  vscode.setState(state);
  canvas.querySelectorAll(".node").forEach((n) => n.classList.toggle("selected", n.getAttribute("data-id") === id));
  const [kind, ...rest] = id.split(":");
  post({ type: "select", node: { kind: kind === "flow" ? "flow" : "task", id: rest.join(":") } });
}

function render(fit: boolean): void {
  if (!data) return;
  const graph = toRunGraph(data);
  title.replaceChildren();
  const name = document.createElement("span");
  name.textContent = graph.title;
  const badge = document.createElement("span");
  badge.className = `badge state-${graph.stateClass}`;
  badge.textContent = graph.stateName;
  title.append(name, badge);
  const { svg, layout } = renderRunSvg(graph, state.selected);
  canvas.innerHTML = graph.nodes.length === 0 ? "" : svg;
  if (graph.nodes.length === 0) {
    canvas.textContent = graph.emptyText;
    return;
  }
  const element = canvas.querySelector("svg")!;
  element.setAttribute("width", "100%");
  element.setAttribute("height", "100%");
  zoom = attachZoomPan(element, layout, (t) => {
    state.transform = t;
    vscode.setState(state);
  });
  if (!fit && state.transform) zoom.restore(state.transform);
  else zoom.fit();
}

function showDetails(d: RunNodeDetails): void {
  details.replaceChildren();
  const heading = document.createElement("h2");
  heading.textContent = d.title;
  const statesHeading = document.createElement("h3");
  statesHeading.textContent = "State history";
  const states = document.createElement("ol");
  states.className = "states";
  for (const s of d.states) {
    const item = document.createElement("li");
    item.className = `state-${s.type.toLowerCase()}`;
    item.textContent = `${s.timestamp.replace("T", " ").replace("Z", "")}  ${s.name}${s.message ? ` — ${s.message}` : ""}`;
    states.append(item);
  }
  const logsHeading = document.createElement("h3");
  logsHeading.textContent = "Logs";
  const logs = document.createElement("pre");
  logs.className = "logs";
  logs.textContent = d.logs.length === 0 ? "No logs." : d.logs.map((l) => `${l.timestamp.slice(11, 23)} ${l.level.toUpperCase().padEnd(7)} ${l.message}`).join("\n");
  details.append(heading, statesHeading, states, logsHeading, logs);
}

post({ type: "ready" });
