// `npm run bench graph`: the dependency graph view's first render for the 500-file generated workspace.
import { spawnSync } from "node:child_process";
import os from "node:os";
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
  const load = os.loadavg().map((n) => n.toFixed(1)).join(" ");
  console.log(`\nGraph view — the ${FILES}-file generated workspace (20 folders of 25 files) in Node, a fresh process each, median of ${REPEATS}; load ${load}`);
  console.log(`  (wall times swing with the machine's load: the CPU time of the first picture is given beside it)`);
  console.log(`  (graphDetails on the analysed snapshot + JSON round trip + view model + dagre layout + SVG string; the browser's paint is not included)`);
  console.log(`  analysis before it (the server has it already)   ${fmt(m("analysisMs")).padStart(7)} ms`);
  console.log(`  first picture, the overview: ${fmt(m("nodes"))} folders, ${fmt(m("edges"))} edges, ${fmt(m("cycles"))} cycles   ${fmt(m("firstRenderMs")).padStart(7)} ms wall, ${fmt(m("firstRenderCpuMs"))} ms CPU   (details ${fmt(m("detailsMs"))} ms, view model ${fmt(m("viewModelMs"), 1)} ms, layout + SVG ${fmt(m("layoutSvgMs"))} ms; ${fmt(m("svgKb"))} KB of SVG)   target ≤ 1,000 ms`);
  console.log(`  expanding one folder: ${fmt(m("expandOneNodes"))} nodes, view model + layout + SVG   ${fmt(m("expandOneMs")).padStart(7)} ms   target ≤ 300 ms`);
  console.log(`  every folder and task expanded: ${fmt(m("expandedNodes"))} nodes, ${fmt(m("expandedEdges"))} edges, laid out folder by folder   ${fmt(m("expandedMs")).padStart(7)} ms   target ≤ 3,000 ms`);
  console.log(`  (the whole graph with tasks folded, as one layout, the view before the overview: ${fmt(m("wholeNodes"))} nodes   ${fmt(m("wholeMs"))} ms)`);
}
