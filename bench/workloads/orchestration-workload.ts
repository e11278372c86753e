// One orchestration measurement per process, against a real server (startServer on 127.0.0.1:0,
// a temp SQLite store, the built worker running each deployment run in its own child process).
// Usage: node --import tsx bench/workloads/orchestration-workload.ts chain|wait|throughput <n> <dir> [spare runners]
//   chain       n chains upstream Completed → automation → downstream Running (stored state timestamps),
//               back to back: each starts as the last ends, so the worker's spare runner is often still starting
//   chain-spaced  the same, each chain starting on an idle server with its spare runner loaded, and an
//               upstream that works 500 ms (time for the spare it took to be replaced), as a real one would
//   wait        n waits: a run's stored Completed timestamp → waitForFlow resolving in this process
//   throughput  n deployment runs created at once: first creation → last final state
import { mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { waitForFlow } from "../../runtime/src/api/wait-for-flow.js";
import { API_TOKEN_ENV, API_URL_ENV, type TributaryEvent } from "../../runtime/src/orchestrator/contract.js";
import { startServer, type RunningServer } from "../../runtime/src/orchestrator/start-server.js";
import type { FlowRunRecord } from "../../runtime/src/store/records.js";
import { openSqliteStore, type SqliteStore } from "../../runtime/src/store/sqlite-store.js";

const [mode = "chain", countText = "200", dir = ".", sparesText] = process.argv.slice(2);
const count = Number(countText);
/** The worker's idle runner processes (absent: the server's default). */
const spareRunners = sparesText !== undefined ? Number(sparesText) : undefined;
const repoRoot = path.resolve(__dirname, "../..");

const FLOWS = `import { flow } from "tributaryjs";
export const upstream = flow("bench-upstream", async ({ i = 0, workMs = 0 }: { i?: number; workMs?: number }) => {
  if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs));
  return { batchId: \`b-\${i}\` };
});
export const downstream = flow("bench-downstream", async ({ batchId = "" }: { batchId?: string }) => batchId.length);
export const work = flow("bench-work", async ({ i = 0 }: { i?: number }) => i * 2);
export const work0 = flow("bench-work-0", async ({ i = 0 }: { i?: number }) => i * 2);
export const work1 = flow("bench-work-1", async ({ i = 0 }: { i?: number }) => i * 2);
`;

/**
 * Chains and waits run in this many lanes at once. One: every run is a fresh node process
 * (~0.35 CPU-s here), so two lanes on two cores took as long per chain and doubled the latency.
 */
const LANES = 1;

const FINAL = new Set(["COMPLETED", "FAILED", "CANCELLED", "CRASHED"]);
const RUN_RESOURCE = "tributary.flow-run.";

/** p-th percentile (nearest rank) of the values. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs sample(0 … count-1) in LANES sequential lanes. */
async function inLanes(sample: (i: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async (_, lane) => {
      while (next < count) await sample(next++, lane);
    }),
  );
}

class Bench {
  private readonly waiters: { predicate: (e: TributaryEvent) => boolean; resolve: (e: TributaryEvent) => void }[] = [];
  private readonly seen: TributaryEvent[] = [];
  private readonly finals = new Map<string, TributaryEvent>();
  private readonly finalWaiters = new Map<string, (event: TributaryEvent) => void>();

  constructor(
    readonly server: RunningServer,
    readonly store: SqliteStore,
    readonly workDir: string,
  ) {
    server.hub.subscribe((event) => {
      this.seen.push(event);
      // Final states by run, so that a thousand waits do not each scan every event.
      if (event.resource.id.startsWith(RUN_RESOURCE) && FINAL.has(String((event.payload.state as { type?: string } | undefined)?.type))) {
        const runId = event.resource.id.slice(RUN_RESOURCE.length);
        this.finals.set(runId, event);
        this.finalWaiters.get(runId)?.(event);
        this.finalWaiters.delete(runId);
      }
      for (const waiter of [...this.waiters]) {
        if (!waiter.predicate(event)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
  }

  static async start(): Promise<Bench> {
    const workDir = mkdtempSync(path.join(dir, `orchestration-${mode}-`));
    writeFileSync(path.join(workDir, "bench-flows.ts"), FLOWS);
    const store = openSqliteStore(path.join(workDir, "tributary.db"));
    const server = await startServer({
      store,
      port: 0,
      scheduler: false,
      workDirs: [workDir],
      worker: {
        runnerFile: path.join(repoRoot, "runtime/dist/cli/run-child.js"),
        runtimeLibrary: path.join(repoRoot, "runtime/dist/index.js"),
        ...(spareRunners !== undefined ? { spareRunners } : {}),
      },
      log: (level, message) => {
        if (level === "error") process.stderr.write(`server: ${message}\n`);
      },
    });
    return new Bench(server, store, workDir);
  }

  async api<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.server.url}${route}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${this.server.token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const parsed = (await response.json()) as T;
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(parsed)}`);
    return parsed;
  }

  async deploy(): Promise<void> {
    const deployment = (name: string, exportName: string) => ({
      name,
      flowName: name.split("/")[0],
      entrypoint: `bench-flows.ts:${exportName}`,
      workDir: this.workDir,
    });
    await this.api("POST", "/api/deployments", {
      deployments: [deployment("bench-upstream/prepare", "upstream"), deployment("bench-downstream/process", "downstream"), deployment("bench-work/run", "work"), deployment("bench-work-0/run", "work0"), deployment("bench-work-1/run", "work1")],
    });
    await this.api("POST", "/api/automations", {
      automations: [
        {
          name: "bench-upstream-completed",
          trigger: { type: "flow-run-state-change", match: { deployment: "bench-upstream/prepare" }, expect: ["Completed"] },
          actions: [{ type: "run-deployment", deployment: "bench-downstream/process", parameters: { batchId: "{{ flowRun.result.batchId }}" } }],
        },
      ],
    });
  }

  createRun(deployment: string, parameters: Record<string, number>): Promise<FlowRunRecord> {
    return this.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, { parameters });
  }

  waitForEvent(predicate: (e: TributaryEvent) => boolean): Promise<TributaryEvent> {
    const found = this.seen.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  finalEvent(runId: string): Promise<TributaryEvent> {
    const found = this.finals.get(runId);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.finalWaiters.set(runId, resolve));
  }

  /** The stored timestamp (ms) of the run's state `name`. */
  async stateTime(runId: string, name: string): Promise<number> {
    const entry = (await this.store.getStateHistory(runId)).find((s) => s.name === name);
    if (!entry) throw new Error(`run ${runId} never entered ${name}`);
    return Date.parse(entry.timestamp);
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.store.close();
  }
}

async function chain(bench: Bench, spaced: boolean): Promise<Record<string, number>> {
  const latencies: number[] = [];
  const toScheduled: number[] = [];
  const started = performance.now();
  await inLanes(async (i) => {
    if (spaced) {
      await bench.server.idle();
      await bench.server.worker!.sparesReady();
    }
    const upstream = await bench.createRun("bench-upstream/prepare", spaced ? { i, workMs: 500 } : { i });
    const downstreamDone = await bench.waitForEvent(
      (e) => e.resource.flowName === "bench-downstream" && e.event === "tributary.flow-run.Completed" && (e.chain ?? []).some((l) => l.id === upstream.id),
    );
    const downstream = (downstreamDone.payload.flowRun as unknown as FlowRunRecord).id;
    const completed = await bench.stateTime(upstream.id, "Completed");
    latencies.push((await bench.stateTime(downstream, "Running")) - completed);
    // Where the time goes: the automation creating the downstream run, then the worker starting it.
    toScheduled.push((await bench.stateTime(downstream, "Scheduled")) - completed);
  });
  return { toScheduledP50Ms: percentile(toScheduled, 50), toScheduledP95Ms: percentile(toScheduled, 95), p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: Math.max(...latencies), wallS: (performance.now() - started) / 1000 };
}

async function wait(bench: Bench): Promise<Record<string, number>> {
  process.env[API_URL_ENV] = bench.server.url;
  process.env[API_TOKEN_ENV] = bench.server.token;
  const latencies: number[] = [];
  const started = performance.now();
  await inLanes(async (i, lane) => {
    const flowName = `bench-work-${lane}`;
    const waiting = waitForFlow(flowName, { after: new Date() }).then((run) => ({ run, wokeAt: Date.now() }));
    // Let the wait open its stream and look once before the run exists.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const run = await bench.createRun(`${flowName}/run`, { i });
    const woke = await waiting;
    if (woke.run.id !== run.id) throw new Error(`waitForFlow woke for ${woke.run.id}, not ${run.id}`);
    latencies.push(woke.wokeAt - (await bench.stateTime(run.id, "Completed")));
  });
  return { p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: Math.max(...latencies), wallS: (performance.now() - started) / 1000 };
}

async function throughput(bench: Bench): Promise<Record<string, number>> {
  // One run first, so that the flow file's bundle is built and cached as it is for a deployed flow.
  await bench.finalEvent((await bench.createRun("bench-work/run", { i: -1 })).id);
  await bench.server.idle();
  const runs = await Promise.all(Array.from({ length: count }, (_, i) => bench.createRun("bench-work/run", { i })));
  const finals = await Promise.all(runs.map((run) => bench.finalEvent(run.id)));
  const failed = finals.filter((e) => e.event !== "tributary.flow-run.Completed").length;
  if (failed > 0) throw new Error(`${failed} of ${count} runs did not complete`);
  await bench.server.idle();
  const first = Math.min(...runs.map((r) => Date.parse(r.createdAt)));
  let last = 0;
  for (const run of runs) {
    const history = await bench.store.getStateHistory(run.id);
    last = Math.max(last, Date.parse(history.at(-1)!.timestamp));
  }
  const seconds = (last - first) / 1000;
  // How long the server took to take the requests (the bench's client is in its process): the runs
  // cannot all end before the last is created.
  const createdS = (Math.max(...runs.map((r) => Date.parse(r.createdAt))) - first) / 1000;
  return { runsPerSecond: count / seconds, wallS: seconds, createdS, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function main(): Promise<Record<string, number>> {
  const bench = await Bench.start();
  try {
    await bench.deploy();
    if (mode === "chain") return await chain(bench, false);
    if (mode === "chain-spaced") return await chain(bench, true);
    if (mode === "wait") return await wait(bench);
    if (mode === "throughput") return await throughput(bench);
    throw new Error(`unknown mode ${mode}`);
  } finally {
    await bench.close();
  }
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + "\n");
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
