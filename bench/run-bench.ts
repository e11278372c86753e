// `npm run bench`: measurements side by side in one run, printed as figures and ratios.
// These machines are shared and noisy; every figure is the median of several runs, and the
// ratios (against a floor measured in the same run) are what to read.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { benchAnalysis } from "./analysis-bench.js";
import { benchExtension } from "./extension-bench.js";
import { benchOrchestration } from "./orchestration-bench.js";
import { benchWorkers } from "./workers-bench.js";
import { benchGraph } from "./graph-bench.js";
import { benchDashboard } from "./dashboard-bench.js";
import { findNodeForSqliteDriver } from "./sqlite-driver-node.js";
import { SQLITE_DRIVERS } from "../runtime/src/store/sqlite-driver.js";

const REPEATS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function runWorkload(script: string, args: string[], node = process.execPath, env: NodeJS.ProcessEnv = process.env): Record<string, number> {
  const result = spawnSync(node, ["--import", "tsx", script, ...args], { encoding: "utf8", env });
  if (result.status !== 0) throw new Error(`${path.basename(script)} ${args.join(" ")} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
}

/** Runs `node <args…>` and reads the JSON of its last stdout line. */
function runWorkloadCommand(args: string[]): Record<string, number> {
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${args.map((a) => path.basename(a)).join(" ")} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
}

function repeat(script: string, args: string[], node?: string, env?: NodeJS.ProcessEnv): Record<string, number> {
  const runs = Array.from({ length: REPEATS }, () => runWorkload(script, args, node, env));
  return Object.fromEntries(Object.keys(runs[0]!).map((key) => [key, median(runs.map((r) => r[key]!))]));
}

const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? "meets target" : "MISSES target");

function benchEngine(dir: string): void {
  const script = path.join(__dirname, "workloads", "engine-workload.ts");
  const n = 10_000;
  const floor = repeat(script, ["floor", String(n), dir]);
  const fanOut = repeat(script, ["fan-out", String(n), dir]);
  // The persisted task cost on each SQLite driver, each on a Node that has it (this one, or one
  // that scripts/install-node.mjs put into .cache/); the drivers take turns, so that load that
  // comes and goes weighs on both.
  const drivers = SQLITE_DRIVERS.map((driver) => ({ driver, node: findNodeForSqliteDriver(driver, script, dir), runs: [] as number[] }));
  for (let round = 0; round < REPEATS; round++) {
    for (const { driver, node, runs } of drivers) {
      if (!node) continue;
      const env = { ...process.env, TRIBUTARY_SQLITE_DRIVER: driver };
      runs.push(runWorkload(script, ["persisted", String(n), dir], node.path, env).microsPerTask!);
    }
  }
  // PostgreSQL: a throwaway durable cluster (fsync on) per round, started by scripts/test-postgres.mjs.
  const postgresRuns: number[] = [];
  for (let round = 0; round < REPEATS; round++) {
    const testPostgres = path.join(__dirname, "..", "scripts", "test-postgres.mjs");
    postgresRuns.push(
      runWorkloadCommand([testPostgres, "--durable", "--", process.execPath, "--import", "tsx", script, "persisted-postgres", String(n), dir]).microsPerTask!,
    );
  }
  const perDriver = drivers.map(({ driver, node, runs }) => ({ driver, node, microsPerTask: runs.length ? median(runs) : undefined }));
  const measured = perDriver.filter((d) => d.microsPerTask !== undefined);
  const perTask = measured[0]?.microsPerTask ?? Number.NaN;
  console.log(`\nEngine — ${n.toLocaleString()} sequential awaited trivial tasks in one flow (median of ${REPEATS})`);
  console.log(`  plain async call (floor)          ${fmt(floor.microsPerStep!, 2).padStart(9)} µs/step`);
  for (const { driver, node, microsPerTask } of perDriver) {
    const label = `  persisted task run, ${driver}`.padEnd(38);
    if (microsPerTask === undefined || !node) {
      console.log(`${label}      —          no Node here can use it`);
      continue;
    }
    console.log(
      `${label}${fmt(microsPerTask, 2).padStart(6)} µs/task   ${fmt(microsPerTask / floor.microsPerStep!, 0)}× the floor   on Node ${node.version}   target ≤ 50 µs: ${verdict(microsPerTask <= 50)}`,
    );
  }
  const postgres = median(postgresRuns);
  // Against SQLite on this same Node (the PostgreSQL workload runs on it), whichever driver that is.
  const sqliteHere = measured.find((d) => d.node!.version === process.version);
  const against = sqliteHere ? `${fmt(postgres / sqliteHere.microsPerTask!, 1)}× SQLite (${sqliteHere.driver}, same Node)` : "no SQLite on this Node";
  console.log(
    `${"  persisted task run, PostgreSQL".padEnd(38)}${fmt(postgres, 2).padStart(6)} µs/task   ${against}   on Node ${process.version}, local, fsync on   target ≤ 100 µs: ${verdict(postgres <= 100)}`,
  );
  console.log(`  against DBOS Transact on PostgreSQL (1.9–3.2 ms/step, as reported)  ${fmt(1_900 / postgres, 0)}–${fmt(3_200 / postgres, 0)}× faster`);
  const nodeSqlite = perDriver.find((d) => d.driver === "node:sqlite");
  const better = perDriver.find((d) => d.driver === "better-sqlite3");
  if (nodeSqlite?.microsPerTask !== undefined && better?.microsPerTask !== undefined) {
    const ratio = nodeSqlite.microsPerTask / better.microsPerTask;
    const sameNode = nodeSqlite.node!.version === better.node!.version ? "same Node" : `Node ${nodeSqlite.node!.version} against Node ${better.node!.version}`;
    console.log(`  node:sqlite / better-sqlite3      ${fmt(ratio, 2).padStart(6)}×        (${sameNode})   target ≤ 1.2×: ${verdict(ratio <= 1.2)}`);
  }
  console.log(`  against Prefect 3 (~14 ms/task, as reported)  ${fmt(14_000 / perTask, 0)}× faster`);
  console.log(`\nFan-out — one .map over ${n.toLocaleString()} items (median of ${REPEATS})`);
  console.log(`  wall time                         ${fmt(fanOut.wallMs!, 0).padStart(9)} ms        target < 2,000 ms: ${verdict(fanOut.wallMs! < 2000)}`);
  console.log(`  peak resident memory              ${fmt(fanOut.peakRssMb!, 0).padStart(9)} MB        target < 200 MB: ${verdict(fanOut.peakRssMb! < 200)}`);
}

/**
 * The paths a user takes beside the in-process task they are compared against (issue 15): subflow
 * calls, and sequential tasks through `tributary run` with its live progress in a pipe. Each round
 * runs every workload once, so that load that comes and goes weighs on all of them.
 */
function benchPaths(dir: string): void {
  const engine = path.join(__dirname, "workloads", "engine-workload.ts");
  const cli = path.join(__dirname, "workloads", "cli-run-workload.ts");
  const children = 1000;
  const cliTasks = 2000;
  const rows = {
    task: [] as number[],
    subflow: [] as number[],
    subflowFanOut: [] as number[],
    cliTask: [] as number[],
    cliFloor: [] as number[],
    cliColdFloor: [] as number[],
    cliBody: [] as number[],
  };
  for (let round = 0; round < REPEATS; round++) {
    rows.task.push(runWorkload(engine, ["persisted", String(children), dir]).microsPerTask!);
    rows.subflow.push(runWorkload(engine, ["subflow", String(children), dir]).microsPerChild!);
    rows.subflowFanOut.push(runWorkload(engine, ["subflow-fan-out", String(children), dir]).microsPerChild!);
    const viaCli = runWorkload(cli, [String(cliTasks), dir]);
    rows.cliTask.push(viaCli.microsPerTask!);
    rows.cliBody.push(viaCli.bodyMicrosPerTask!);
    const inProcess = runWorkload(engine, ["persisted", String(cliTasks), dir]);
    rows.cliFloor.push(inProcess.microsPerTask!);
    rows.cliColdFloor.push(inProcess.coldMicrosPerTask!);
  }
  const task = median(rows.task);
  const cliFloor = median(rows.cliFloor);
  console.log(`\nPaths beside the in-process task (median of ${REPEATS} rounds, load average ${loadAverage()})`);
  console.log(`  ${`persisted task in process, ${children.toLocaleString()} in a flow`.padEnd(44)}${fmt(task, 1).padStart(8)} µs/task`);
  for (const [label, values] of [
    ["subflow call, sequential", rows.subflow],
    [`subflow call, ${children.toLocaleString()} under Promise.all`, rows.subflowFanOut],
  ] as const) {
    const perChild = median(values);
    console.log(`  ${label.padEnd(44)}${fmt(perChild, 1).padStart(8)} µs/child  ${fmt(perChild / task, 1)}× the task   target ≤ 100 µs: ${verdict(perChild <= 100)}`);
  }
  const perCliTask = median(rows.cliTask);
  const cliColdFloor = median(rows.cliColdFloor);
  const ratio = perCliTask / cliFloor;
  console.log(`  ${`persisted task in process, ${cliTasks.toLocaleString()} in a flow`.padEnd(44)}${fmt(cliFloor, 1).padStart(8)} µs/task   (the process's second run: warm)`);
  console.log(`  ${"  the same, the process's first run".padEnd(44)}${fmt(cliColdFloor, 1).padStart(8)} µs/task   (cold: code paths and statements loaded on the way, as in a \`tributary run\` child)`);
  const label = `tributary run, ${cliTasks.toLocaleString()} sequential tasks`.padEnd(44);
  console.log(
    `  ${label}${fmt(perCliTask, 1).padStart(8)} µs/task   ${fmt(ratio, 2)}× in process warm, ${fmt(perCliTask / cliColdFloor, 2)}× cold   target ≤ 1.5×: ${verdict(ratio <= 1.5)}`,
  );
  console.log(`    (progress in a pipe, from the flow's first line to its Completed line; the flow body in the child: ${fmt(median(rows.cliBody), 1)} µs/task)`);
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");
}

const sections: Record<string, (dir: string) => void> = {
  engine: benchEngine,
  paths: benchPaths,
  analysis: benchAnalysis,
  orchestration: benchOrchestration,
  workers: benchWorkers,
  extension: benchExtension,
  graph: benchGraph,
  dashboard: benchDashboard,
};
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
