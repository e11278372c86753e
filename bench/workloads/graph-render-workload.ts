// The graph view's first render in Node, for one workspace: what the language server does for
// `tributary/graphDetails` on an analysed snapshot, the JSON round trip of the request, then what
// the webview does before the browser paints: the view model, the dagre layout and the SVG string.
// The analysis itself is timed apart: the server has it already when the view asks. Timed: the
// first picture (the overview by folder above OVERVIEW_ABOVE nodes, as the view opens), the whole
// graph with tasks folded (what the view drew before the overview), one folder expanded, and
// every folder and task expanded (laid out folder by folder).
// Prints one JSON line.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { renderDependencySvg } from "../../client/src/graph/dependency-graph-svg.js";
import { loadWorkspace, OVERVIEW_ABOVE, toGraphDetails, toGraphView, type GraphDetailsJson, type GraphViewOptions } from "../../server/src/analysis/index.js";

async function main(): Promise<void> {
  const workspace = path.resolve(process.argv[2]!);
  const t0 = performance.now();
  const project = await loadWorkspace([workspace], { rootDir: workspace });
  const snapshot = project.analyze();
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const graph = JSON.parse(JSON.stringify(toGraphDetails(snapshot, workspace))) as GraphDetailsJson;
  const t2 = performance.now();
  const overview = toGraphView(graph, { expandedFlows: new Set(), folders: { above: OVERVIEW_ABOVE, expanded: new Set() } });
  const t3 = performance.now();
  const { svg } = renderDependencySvg(overview);
  const t4 = performance.now();
  const cpuUsed = process.cpuUsage(cpu);
  const timed = (options: GraphViewOptions) => {
    const start = performance.now();
    const view = toGraphView(graph, options);
    renderDependencySvg(view);
    return { ms: performance.now() - start, nodes: view.nodes.length, edges: view.edges.length };
  };
  const whole = timed({ expandedFlows: new Set() });
  const folder = overview.folders?.[0];
  const one = timed({ expandedFlows: new Set(), folders: { above: OVERVIEW_ABOVE, expanded: new Set(folder !== undefined ? [folder] : []) } });
  const all = timed({ folders: { above: OVERVIEW_ABOVE, expanded: new Set(overview.folders ?? []) } });
  console.log(
    JSON.stringify({
      analysisMs: t1 - t0,
      detailsMs: t2 - t1,
      viewModelMs: t3 - t2,
      layoutSvgMs: t4 - t3,
      firstRenderMs: t4 - t1,
      firstRenderCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
      nodes: overview.nodes.length,
      edges: overview.edges.length,
      svgKb: svg.length / 1024,
      wholeMs: whole.ms,
      wholeNodes: whole.nodes,
      wholeEdges: whole.edges,
      expandOneMs: one.ms,
      expandOneNodes: one.nodes,
      expandedMs: all.ms,
      expandedNodes: all.nodes,
      expandedEdges: all.edges,
      cycles: graph.cycles.length,
    }),
  );
}

void main();
