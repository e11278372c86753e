// The Flow Runs view's data path over a store of 100,000 runs: the real server process
// (`tributary server start`) on the seeded store, and the extension's own code for a page —
// TributaryApi.listFlowRuns (HTTP + JSON), FlowRunsModel, and the mapping of each run to its tree
// item fields. Prints one JSON line of timings (ms).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { readServerFile, serverFilePath } from "../../runtime/src/orchestrator/server-file.js";
import { performance } from "node:perf_hooks";
import { FlowRunsModel, type FlowRunElement } from "../../client/src/flow-runs/flow-runs-model.js";
import { flowRunFields } from "../../client/src/flow-runs/run-item-fields.js";
import { TributaryApi } from "../../client/src/server/tributary-api.js";
import { seedFlowRuns } from "./seed-flow-runs.js";

const [countArg, dir] = process.argv.slice(2);
const count = Number(countArg);
const PAGE = 50;
const REPEATS = 21;

async function firstPage(api: TributaryApi, before?: string): Promise<number> {
  const started = performance.now();
  const model = new FlowRunsModel(() => PAGE);
  if (before === undefined) {
    const roots = await model.roots(api);
    const now = new Date();
    for (const element of roots) if (element.kind === "flowRun") flowRunFields((element as FlowRunElement).run, now);
    if (roots.length !== PAGE + 1) throw new Error(`expected a full page and Load more, got ${roots.length} elements`);
  } else {
    const runs = await api.listFlowRuns({ parentFlowRunId: null, limit: PAGE, before });
    const now = new Date();
    for (const run of runs) flowRunFields(run, now);
    if (runs.length !== PAGE) throw new Error(`expected a full page after the cursor, got ${runs.length}`);
  }
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const home = path.join(dir!, `flow-runs-${count}`, ".tributary");
  mkdirSync(home, { recursive: true });
  const seedStarted = performance.now();
  await seedFlowRuns(path.join(home, "tributary.db"), count);
  const seedMs = performance.now() - seedStarted;

  const cli = path.resolve(__dirname, "..", "..", "runtime", "bin", "tributary.js");
  const server = spawn(process.execPath, [cli, "server", "start", "--port", "0", "--exit-with-parent"], {
    cwd: path.dirname(home),
    env: { ...process.env, TRIBUTARY_HOME: home, TRIBUTARY_API_URL: "", TRIBUTARY_API_TOKEN: "" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    server.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    server.once("exit", (code) => reject(new Error(`the server exited (${String(code)}): ${out}`)));
  });
  try {
    const api = new TributaryApi(url, readServerFile(serverFilePath(path.join(home, "tributary.db")))?.token);
    // As the extension connects: a health check first (it also opens the HTTP connection), then
    // the view's first page on a store that no query has warmed yet.
    const connectStarted = performance.now();
    await api.health();
    const connectMs = performance.now() - connectStarted;
    const coldMs = await firstPage(api);
    const warm: number[] = [];
    for (let i = 0; i < REPEATS; i++) warm.push(await firstPage(api));
    // A page deep in the history: the cursor is the run in the middle.
    const all = await api.listFlowRuns({ parentFlowRunId: null, limit: Math.floor(count / 2) + 1 });
    const cursor = all.at(-1)!.id;
    const deep: number[] = [];
    for (let i = 0; i < REPEATS; i++) deep.push(await firstPage(api, cursor));
    // The floor: the same HTTP round trip for the smallest answer the server has.
    const health: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      await api.health();
      health.push(performance.now() - started);
    }
    console.log(JSON.stringify({ seedMs, connectMs, coldMs, warmMs: median(warm), deepMs: median(deep), healthMs: median(health) }));
  } finally {
    server.stdin.end();
    await new Promise((resolve) => server.once("exit", resolve));
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
