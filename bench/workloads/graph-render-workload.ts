// The graph view's first render in Node, for one workspace: what the language server does for
// `tributary/graphDetails` on an analysed snapshot, the JSON round trip of the request, then what
// the webview does before the browser paints: the view model, the dagre layout and the SVG string.
// The analysis itself is timed apart: the server has it already when the view asks.
// Prints one JSON line.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { renderDependencySvg } from "../../client/src/graph/dependency-graph-svg.js";
import { loadWorkspace, toGraphDetails, toGraphView, type GraphDetailsJson } from "../../server/src/analysis/index.js";

async function main(): Promise<void> {
  const workspace = path.resolve(process.argv[2]!);
  const t0 = performance.now();
  const project = await loadWorkspace([workspace], { rootDir: workspace });
  const snapshot = project.analyze();
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const graph = JSON.parse(JSON.stringify(toGraphDetails(snapshot, workspace))) as GraphDetailsJson;
  const t2 = performance.now();
  const view = toGraphView(graph, { expandedFlows: new Set() });
  const t3 = performance.now();
  const { svg } = renderDependencySvg(view);
  const t4 = performance.now();
  const cpuUsed = process.cpuUsage(cpu);
  const expanded = toGraphView(graph);
  renderDependencySvg(expanded);
  const t6 = performance.now();
  console.log(
    JSON.stringify({
      analysisMs: t1 - t0,
      detailsMs: t2 - t1,
      viewModelMs: t3 - t2,
      layoutSvgMs: t4 - t3,
      firstRenderMs: t4 - t1,
      firstRenderCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
      nodes: view.nodes.length,
      edges: view.edges.length,
      svgKb: svg.length / 1024,
      expandedMs: t6 - t4,
      expandedNodes: expanded.nodes.length,
      expandedEdges: expanded.edges.length,
      cycles: graph.cycles.length,
    }),
  );
}

void main();
