/// <reference lib="dom" />
/**
 * A run's graph (`#/runs/<id>/graph`): its task runs and subflow runs, coloured by state and live.
 * Drawn by the extension's own run graph code (client/src/graph: run-graph-model.ts, the layout,
 * run-graph-svg.ts, zoom-pan.ts), built as DOM (svg-tree.ts) so that no run data goes through
 * markup. Events of the stream update the run in place; the graph is redrawn at most once per
 * animation frame. Each node says its state in text; the list below the graph says it again.
 */
import { eventTouchesRun, toRunGraph, type RunEvent, type RunGraphData } from "../../../../client/src/graph/run-graph-model.js";
import { runSvgTree } from "../../../../client/src/graph/run-graph-svg.js";
import { toSvgElement } from "../../../../client/src/graph/svg-tree.js";
import { attachZoomPan, type ZoomPan } from "../../../../client/src/graph/webview/zoom-pan.js";
import type { FlowRunEventPayload, TaskRunEventPayload } from "../../orchestrator/contract.js";
import type { FlowRunRecord, TaskRunRecord } from "../../store/records.js";
import { h } from "../dom.js";
import { runGraphOutline } from "../page-outlines.js";
import type { Page } from "../page.js";
import { runGraphHref } from "./parts.js";

export const runGraphPage: Page = {
  ...runGraphOutline,
  render(view, { id }, { api, events, announce, navigate }) {
    const runId = id!;
    const heading = h("h1", {}, "Run graph");
    const status = h("p", { class: "muted", role: "status" }, "Loading…");
    const fit = h("button", { type: "button", onclick: () => zoom?.fit() }, "Fit");
    const canvas = h("div", { id: "run-graph", class: "graph-canvas" });
    const list = h("ul", { id: "run-graph-nodes", class: "graph-node-list", "aria-label": "Task runs and subflow runs" });
    view.append(heading, h("p", {}, h("a", { href: `#/runs/${encodeURIComponent(runId)}` }, "Back to the run"), " ", fit), status, canvas, h("h2", {}, "Task runs and subflow runs"), list);

    let data: RunGraphData | undefined;
    let zoom: ZoomPan | undefined;
    let transform: { x: number; y: number; k: number } | undefined;
    let frame: number | undefined;

    const draw = () => {
      frame = undefined;
      if (!data) return;
      const graph = toRunGraph(data);
      heading.replaceChildren(graph.title, " ", h("span", { class: `state state-${graph.stateClass}`, "data-state": graph.stateName }, graph.stateName));
      const counts = countStates(graph.nodes);
      status.textContent = graph.nodes.length === 0 ? graph.emptyText : `${graph.nodes.length} node${graph.nodes.length === 1 ? "" : "s"}: ${counts}.`;
      list.replaceChildren(
        ...graph.nodes.map((n) =>
          h(
            "li",
            { "data-id": n.id, "data-state": n.stateName },
            n.kind === "flow" ? h("a", { href: runGraphHref(n.runId) }, n.label) : n.label,
            " — ",
            h("span", { class: `state state-${n.stateClass}` }, n.detail),
          ),
        ),
      );
      if (graph.nodes.length === 0) {
        canvas.replaceChildren();
        zoom = undefined;
        return;
      }
      const { tree, layout } = runSvgTree(graph);
      const svg = toSvgElement(tree, document) as SVGSVGElement;
      svg.setAttribute("width", "100%");
      svg.setAttribute("height", "100%");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", `Graph of ${graph.title}, ${graph.stateName}: ${graph.nodes.length} nodes (${counts}), ${graph.edges.length} edges. The list below names each.`);
      // Task nodes do nothing here: only a subflow's node (it opens that run's graph) stays in the Tab order.
      for (const node of svg.querySelectorAll(".node[data-kind=task]")) {
        node.removeAttribute("tabindex");
        node.removeAttribute("role");
      }
      for (const node of svg.querySelectorAll(".node[data-kind=flow]")) node.setAttribute("role", "link");
      canvas.replaceChildren(svg);
      zoom = attachZoomPan(svg, layout, (t) => (transform = t));
      if (transform) zoom.restore(transform);
      else zoom.fit();
    };
    const schedule = () => {
      if (frame === undefined) frame = requestAnimationFrame(draw);
    };

    const load = () =>
      Promise.all([
        api.get<FlowRunRecord>(`/api/flow-runs/${encodeURIComponent(runId)}`),
        api.get<TaskRunRecord[]>(`/api/flow-runs/${encodeURIComponent(runId)}/task-runs`),
        api.get<FlowRunRecord[]>(`/api/flow-runs?parentFlowRunId=${encodeURIComponent(runId)}&limit=500`),
      ]).then(
        ([run, taskRuns, subflowRuns]) => {
          data = { run, taskRuns, subflowRuns };
          schedule();
        },
        (error: Error) => (status.textContent = error.message),
      );
    void load();

    const stopListening = events.listen((event) => {
      if (!data || !eventTouchesRun(event as unknown as RunEvent, runId)) return;
      if (event.event.startsWith("tributary.flow-run.")) {
        const run = (event.payload as unknown as FlowRunEventPayload).flowRun;
        if (run.id === runId) data.run = run;
        else data.subflowRuns = upsert(data.subflowRuns, run);
        announce(`${run.flowName} / ${run.name}: ${run.state.name}`);
      } else {
        const taskRun = (event.payload as unknown as TaskRunEventPayload).taskRun;
        if (taskRun === undefined) return;
        data.taskRuns = upsert(data.taskRuns, taskRun);
      }
      schedule();
    });
    const stopReconnect = events.onReconnect(() => void load());
    canvas.addEventListener("click", (event) => {
      if (zoom?.dragged) return;
      const node = (event.target as Element).closest(".node[data-kind=flow]");
      if (node) navigate(`/runs/${encodeURIComponent(node.getAttribute("data-run")!)}/graph`);
    });
    canvas.addEventListener("keydown", (event) => {
      const node = (event.target as Element).closest(".node[data-kind=flow]");
      if (node && event.key === "Enter") navigate(`/runs/${encodeURIComponent(node.getAttribute("data-run")!)}/graph`);
    });
    return () => {
      stopListening();
      stopReconnect();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  },
};

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const at = list.findIndex((x) => x.id === item.id);
  return at < 0 ? [...list, item] : list.map((x, i) => (i === at ? item : x));
}

/** `2 Completed, 1 Running`: the nodes by state name, in the order first met. */
function countStates(nodes: { stateName: string }[]): string {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.stateName, (counts.get(n.stateName) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} ${name}`).join(", ");
}
