// `npm run bench graph`: the dependency graph view's first render for the 500-file generated workspace.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { generateWorkspace, writeWorkspace } from "../test-fixtures/generate-workspace.js";

const REPEATS = 3;
const FILES = 500;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function benchGraph(dir: string): void {
  const workspace = path.join(dir, `graph-workspace-${FILES}`);
  writeWorkspace(workspace, generateWorkspace(FILES));
  const runs = Array.from({ length: REPEATS }, () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "workloads", "graph-render-workload.ts"), workspace], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`graph-render-workload failed:\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
  });
  const m = (key: string) => median(runs.map((r) => r[key]!));
  console.log(`\nGraph view — first render of the ${FILES}-file generated workspace in Node, a fresh process each, median of ${REPEATS}`);
  console.log(`  (wall times swing with the machine's load: the CPU time of the same steps is given beside them)`);
  console.log(`  (graphDetails on the analysed snapshot + JSON round trip + view model + dagre layout + SVG string; the browser's paint is not included)`);
  console.log(`  analysis before it (the server has it already)   ${fmt(m("analysisMs")).padStart(7)} ms`);
  console.log(`  first render, tasks folded: ${fmt(m("nodes"))} nodes, ${fmt(m("edges"))} edges, ${fmt(m("cycles"))} cycles   ${fmt(m("firstRenderMs")).padStart(7)} ms wall, ${fmt(m("firstRenderCpuMs"))} ms CPU   (details ${fmt(m("detailsMs"))} ms, view model ${fmt(m("viewModelMs"), 1)} ms, layout + SVG ${fmt(m("layoutSvgMs"))} ms; ${fmt(m("svgKb"))} KB of SVG)`);
  console.log(`  every task expanded: ${fmt(m("expandedNodes"))} nodes, ${fmt(m("expandedEdges"))} edges, view model + layout + SVG   ${fmt(m("expandedMs")).padStart(7)} ms`);
}
