// `npm run bench`: measurements side by side in one run, printed as figures and ratios.
// These machines are shared and noisy; every figure is the median of several runs, and the
// ratios (against a floor measured in the same run) are what to read.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchAnalysis } from "./analysis-bench.js";
import { benchExtension } from "./extension-bench.js";
import { benchOrchestration } from "./orchestration-bench.js";
import { benchGraph } from "./graph-bench.js";

const REPEATS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function runWorkload(script: string, args: string[]): Record<string, number> {
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${path.basename(script)} ${args.join(" ")} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
}

function repeat(script: string, args: string[]): Record<string, number> {
  const runs = Array.from({ length: REPEATS }, () => runWorkload(script, args));
  return Object.fromEntries(Object.keys(runs[0]!).map((key) => [key, median(runs.map((r) => r[key]!))]));
}

const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? "meets target" : "MISSES target");

function benchEngine(dir: string): void {
  const script = path.join(__dirname, "workloads", "engine-workload.ts");
  const n = 10_000;
  const floor = repeat(script, ["floor", String(n), dir]);
  const persisted = repeat(script, ["persisted", String(n), dir]);
  const fanOut = repeat(script, ["fan-out", String(n), dir]);
  const perTask = persisted.microsPerTask!;
  console.log(`\nEngine — ${n.toLocaleString()} sequential awaited trivial tasks in one flow (median of ${REPEATS})`);
  console.log(`  plain async call (floor)          ${fmt(floor.microsPerStep!, 2).padStart(9)} µs/step`);
  console.log(`  persisted task run (SQLite)       ${fmt(perTask, 2).padStart(9)} µs/task   ${fmt(perTask / floor.microsPerStep!, 0)}× the floor   target ≤ 50 µs: ${verdict(perTask <= 50)}`);
  console.log(`  against Prefect 3 (~14 ms/task, as reported)  ${fmt(14_000 / perTask, 0)}× faster`);
  console.log(`\nFan-out — one .map over ${n.toLocaleString()} items (median of ${REPEATS})`);
  console.log(`  wall time                         ${fmt(fanOut.wallMs!, 0).padStart(9)} ms        target < 2,000 ms: ${verdict(fanOut.wallMs! < 2000)}`);
  console.log(`  peak resident memory              ${fmt(fanOut.peakRssMb!, 0).padStart(9)} MB        target < 200 MB: ${verdict(fanOut.peakRssMb! < 200)}`);
}

const sections: Record<string, (dir: string) => void> = { engine: benchEngine, analysis: benchAnalysis, orchestration: benchOrchestration, extension: benchExtension, graph: benchGraph };
const only = process.argv.slice(2);
const dir = mkdtempSync(path.join(tmpdir(), "tributary-bench-"));
try {
  console.log(`Tributary benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  for (const [name, bench] of Object.entries(sections)) {
    if (only.length === 0 || only.includes(name)) bench(dir);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
