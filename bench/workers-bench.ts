// `npm run bench workers`: deployment runs through `tributary worker start` processes on PostgreSQL
// (issue 13) — a real server and 1, 2 and 4 workers, each run of the workload on a throwaway durable
// cluster (scripts/test-postgres.mjs --durable). The figures come from the stored timestamps.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";

/** Runs per burst: enough for a few seconds of work with one worker. */
const RUNS = 400;
const LATENCY_RUNS = 30;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function workload(args: string[]): Record<string, number> {
  const testPostgres = path.join(__dirname, "..", "scripts", "test-postgres.mjs");
  const script = path.join(__dirname, "workloads", "workers-workload.ts");
  const result = spawnSync(process.execPath, [testPostgres, "--durable", "--", process.execPath, "--import", "tsx", script, ...args], {
    encoding: "utf8",
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`workers-workload ${args.join(" ")} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
}

export function benchWorkers(_dir: string): void {
  const bursts = [1, 2, 4].map((workers) => workload(["throughput", String(workers), String(RUNS)]));
  const latency = workload(["latency", String(LATENCY_RUNS)]);
  const one = bursts[0]!.runsPerSecond!;
  console.log(`\nWorkers — a server and \`tributary worker start\` processes on one PostgreSQL database (local, fsync on), ${os.cpus().length} cores`);
  console.log(`  ${RUNS} deployment runs created at once, first created → last final (stored timestamps):`);
  for (const burst of bursts) {
    const workers = burst.workers!;
    console.log(
      `    ${String(workers).padStart(2)} worker${workers === 1 ? " " : "s"}  ${fmt(burst.runsPerSecond!, 1).padStart(6)} runs/s  (${fmt(burst.wallS!, 2)} s)  ${fmt(burst.runsPerSecond! / one, 2)}× one worker`,
    );
  }
  console.log(`    (each worker runs them in its one shared runner; beyond the cores, more workers add processes, not CPU)`);
  console.log(`  trigger → Running, ${LATENCY_RUNS} runs one at a time on an idle system (created_at → the Running state):`);
  console.log(`    through a remote worker (hears of the run by LISTEN/NOTIFY)  p50 ${fmt(latency.remoteP50Ms!).padStart(4)} ms   p95 ${fmt(latency.remoteP95Ms!).padStart(4)} ms`);
  console.log(`    through the server's own worker (in its process)            p50 ${fmt(latency.localP50Ms!).padStart(4)} ms   p95 ${fmt(latency.localP95Ms!).padStart(4)} ms`);
}
