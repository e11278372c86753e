/// <reference lib="dom" />
/**
 * Graph (`#/graph`): the static dependency graph of what is registered — what `tributary deploy`
 * sent (PUT /api/graph), one project root at a time (a select when there are several). Drawn by
 * the extension's own code: the view model (server/src/analysis/graph-view-model.ts, with the
 * folders overview above OVERVIEW_ABOVE nodes), the layout and dependency-graph-svg.ts, built as
 * DOM (svg-tree.ts). Cycles are red, and listed as text with their TRB code, message and every hop,
 * so that someone who never opens the code still sees that a change made A → B → A.
 */
import { OVERVIEW_ABOVE, toGraphView, type GraphView } from "../../../../server/src/analysis/graph-view-model.js";
import { dependencyLayoutInput, dependencySvgTree } from "../../../../client/src/graph/dependency-graph-svg.js";
import { layoutGraph } from "../../../../client/src/graph/graph-layout.js";
import { toSvgElement } from "../../../../client/src/graph/svg-tree.js";
import { attachZoomPan, type ZoomPan } from "../../../../client/src/graph/webview/zoom-pan.js";
import type { RegisteredGraph } from "../../orchestrator/contract.js";
import { h, relativeTime } from "../dom.js";
import { dependencyGraphOutline } from "../page-outlines.js";
import type { Page } from "../page.js";
import { hashQuery } from "../router.js";

export const dependencyGraphPage: Page = {
  ...dependencyGraphOutline,
  render(view, _params, { api, events, navigate }) {
    const status = h("p", { class: "muted", role: "status" }, "Loading…");
    const section = h("section", { id: "dependency-graph" });
    view.append(h("h1", {}, "Graph"), h("p", { class: "muted" }, "The flows, deployments and automations that ", h("code", {}, "tributary deploy"), " registered, and what calls, runs or triggers what."), status, section);
    let zoom: ZoomPan | undefined;
    /** The project drawn: a redraw after a deploy stays on it. */
    let shownRoot: string | undefined;
    // What the reader unfolded, by project: a redeploy redraws the graph and keeps it unfolded.
    const unfolded = new Map<string, { folders: Set<string>; flows: Set<string> }>();

    const showProject = (graphs: RegisteredGraph[], root: string) => {
      const graph = graphs.find((g) => g.root === root) ?? graphs[0]!;
      shownRoot = graph.root;
      const picker =
        graphs.length > 1
          ? h(
              "p",
              {},
              h("label", { for: "graph-root" }, "Project "),
              h(
                "select",
                { id: "graph-root", onchange: (event: Event) => navigate(`/graph?root=${encodeURIComponent((event.target as HTMLSelectElement).value)}`) },
                ...graphs.map((g) => h("option", { value: g.root, selected: g.root === graph.root }, g.root)),
              ),
            )
          : h("p", {}, "Project ", h("code", {}, graph.root));
      const deployed = h("p", { class: "muted" }, `Sent by tributary deploy ${relativeTime(graph.updatedAt)} (${graph.source.files.length} file${graph.source.files.length === 1 ? "" : "s"} deployed).`);
      const canvas = h("div", { class: "graph-canvas" });
      const cycles = h("ol", { id: "graph-cycles", class: "graph-cycles", "aria-label": "Dependency cycles and trigger loops" });
      const summary = h("p", { id: "graph-summary" });
      const fit = h("button", { type: "button", onclick: () => zoom?.fit() }, "Fit");
      section.replaceChildren(picker, deployed, h("p", {}, fit), summary, canvas, h("h2", {}, "Cycles"), cycles);

      if (!unfolded.has(graph.root)) unfolded.set(graph.root, { folders: new Set(), flows: new Set() });
      const { folders: expandedFolders, flows: expandedFlows } = unfolded.get(graph.root)!;
      const draw = () => {
        const v = toGraphView(graph, { expandedFlows, folders: { above: OVERVIEW_ABOVE, expanded: expandedFolders } });
        const { nodes, edges } = dependencyLayoutInput(v);
        const layout = layoutGraph(nodes, edges);
        const svg = toSvgElement(dependencySvgTree(v, layout), document) as SVGSVGElement;
        svg.setAttribute("width", "100%");
        svg.setAttribute("height", "100%");
        svg.removeAttribute("viewBox");
        svg.setAttribute("role", "img");
        const text = describe(graph, v);
        svg.setAttribute("aria-label", text);
        summary.textContent = text;
        // Only what does something here stays in the Tab order: folders of the overview and their frames' titles.
        for (const node of svg.querySelectorAll(".node:not([data-folder])")) {
          node.removeAttribute("tabindex");
          node.removeAttribute("role");
        }
        canvas.replaceChildren(svg);
        zoom = attachZoomPan(svg, layout, () => undefined);
        zoom.fit();
        drawCycles(v);
      };
      const drawCycles = (v: GraphView) => {
        if (v.cycles.length === 0) {
          cycles.replaceChildren(h("li", { class: "no-cycles" }, "No dependency cycles or trigger loops."));
          return;
        }
        const highlight = (index: number, on: boolean) => {
          for (const edge of canvas.querySelectorAll(".edge")) {
            const id = edge.getAttribute("data-edge");
            edge.classList.toggle("highlight", on && v.edges.some((e) => e.id === id && e.cycles.includes(index)));
          }
        };
        cycles.replaceChildren(
          ...v.cycles.map((cycle, index) =>
            h(
              "li",
              { class: `cycle-item ${cycle.severity}`, "data-cycle": index, tabindex: 0, onfocus: () => highlight(index, true), onblur: () => highlight(index, false), onmouseenter: () => highlight(index, true), onmouseleave: () => highlight(index, false) },
              h("strong", { class: "cycle-code" }, cycle.code),
              " ",
              h("span", { class: "cycle-message" }, cycle.message),
              " ",
              h("span", { class: "muted" }, `(${cycle.severity}, ${cycle.file}:${cycle.line})`),
              h("ol", { class: "cycle-hops", "aria-label": "Hops" }, ...cycle.hops.map((hop) => h("li", {}, hop.message, " ", h("span", { class: "muted" }, `${hop.file}:${hop.line}:${hop.column}`)))),
            ),
          ),
        );
      };
      canvas.addEventListener("click", (event) => {
        if (zoom?.dragged) return;
        const target = event.target as Element;
        const collapse = target.closest("[data-collapse]");
        const folder = target.closest(".node[data-folder]");
        const toggle = target.closest("[data-toggle]");
        if (toggle && !folder) {
          const flow = toggle.getAttribute("data-toggle")!;
          if (!expandedFlows.delete(flow)) expandedFlows.add(flow);
        } else if (collapse) {
          const path = collapse.getAttribute("data-collapse")!;
          for (const f of [...expandedFolders]) if (f === path || f.startsWith(`${path}/`)) expandedFolders.delete(f);
        } else if (folder) expandedFolders.add(folder.getAttribute("data-folder")!);
        else return;
        draw();
      });
      canvas.addEventListener("keydown", (event) => {
        if ((event.key === "Enter" || event.key === " ") && (event.target as Element).closest("[data-collapse], .node[data-folder]")) {
          event.preventDefault();
          (event.target as Element).dispatchEvent(new MouseEvent("click", { bubbles: true }));
        }
      });
      draw();
    };

    let generation = 0;
    const load = () => {
      const mine = ++generation;
      api.get<RegisteredGraph[]>("/api/graph").then(
        (graphs) => {
          if (mine !== generation) return;
          if (graphs.length === 0) {
            status.textContent = "No graph registered yet: tributary deploy sends the graph of the project it deploys.";
            section.replaceChildren();
            return;
          }
          status.textContent = graphs.length === 1 ? "One project registered." : `${graphs.length} projects registered.`;
          showProject(graphs, shownRoot ?? hashQuery().get("root") ?? graphs[0]!.root);
        },
        (error: Error) => {
          if (mine === generation) status.textContent = error.message;
        },
      );
    };
    load();
    // A deploy sends its project's graph again: whoever watches sees the change (a cycle made or
    // mended) without a reload. The stream may have missed one while it reconnected.
    const stopListening = events.listen((event) => {
      if (event.event === "tributary.graph.registered") load();
    });
    const stopReconnect = events.onReconnect(load);
    return () => {
      generation++;
      stopListening();
      stopReconnect();
    };
  },
};

/** What the picture shows, in words: its counts and its cycles. */
function describe(graph: RegisteredGraph, v: GraphView): string {
  const kinds = new Map<string, number>();
  for (const n of graph.nodes) kinds.set(n.kind, (kinds.get(n.kind) ?? 0) + 1);
  const parts = [...kinds].map(([kind, count]) => `${count} ${kind}${count === 1 ? "" : "s"}`).join(", ");
  const folded = v.folders !== undefined && v.folders.length > 0 ? `; drawn by folder (${v.folders.length} folders folded)` : "";
  const cycles = v.cycles.length === 0 ? "no cycles" : `${v.cycles.length} cycle${v.cycles.length === 1 ? "" : "s"} (listed below)`;
  return `Dependency graph of ${graph.root}: ${parts || "no nodes"}, ${graph.edges.length} edges${folded}; ${cycles}.`;
}
