// One measurement of deployment runs through `tributary worker start` processes, on a PostgreSQL
// database of its own (run under scripts/test-postgres.mjs --durable: TRIBUTARY_TEST_DATABASE_URL).
// A real `tributary server start` (its own worker serves another pool, so it takes none of these
// runs) and N workers, each in a directory of its own with its own copy of the flow file. Times are
// the stored ones (created_at, state history, end_time): what the system recorded.
// Usage: node --import tsx bench/workloads/workers-workload.ts throughput <workers> <runs>
//   throughput  <runs> deployment runs created at once: first created → last final, in runs/s
//   latency     <runs> runs one after another on an idle system: created → Running, through one
//               remote worker, and through the server's own worker for comparison
import { writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CliWorkspace, type CliProcess } from "../../runtime/src/cli/test-support/cli-workspace.js";
import type { FlowRunRecord } from "../../runtime/src/store/records.js";
import { ownTestDatabase, queryTestDatabase } from "../../runtime/src/test-support/store-backends.js";

const [mode = "throughput", first = "1", second = "200"] = process.argv.slice(2);
const FLOWS = `import { flow } from "tributaryjs";
export const work = flow("bench-work", async ({ i = 0 }: { i?: number }) => i * 2);
`;
const FINAL = `('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')`;

async function main(): Promise<void> {
  if (process.env.TRIBUTARY_TEST_DATABASE_URL === undefined) throw new Error("Run under scripts/test-postgres.mjs: TRIBUTARY_TEST_DATABASE_URL is unset.");
  const database = ownTestDatabase("bench_workers");
  await database.create();
  const token = randomBytes(24).toString("base64url");
  const env = { TRIBUTARY_API_TOKEN: token, TRIBUTARY_DATABASE_URL: database.url };
  const workspaces: CliWorkspace[] = [];
  const processes: CliProcess[] = [];
  const workspace = (): CliWorkspace => {
    const made = new CliWorkspace();
    writeFileSync(path.join(made.dir, "bench-flows.ts"), FLOWS);
    workspaces.push(made);
    return made;
  };
  try {
    const project = workspace();
    const server = project.start(["server", "start", "--port", "0", "--pool", "server-only"], env);
    processes.push(server);
    const [, url] = (await server.waitForLine(/^Tributary server listening on (\S+)/)) as [string, string];
    const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const deployment = (name: string, pool: string) => ({ name: `bench-work/${name}`, flowName: "bench-work", entrypoint: "bench-flows.ts:work", workDir: project.dir, pool });
    await api("POST", "/api/deployments", { deployments: [deployment("remote", "bench"), deployment("local", "server-only")] });
    const create = (name: string, i: number) => api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(`bench-work/${name}`)}/runs`, { parameters: { i } });
    const startWorkers = async (count: number) => {
      for (let w = 0; w < count; w++) {
        const worker = workspace().start(["worker", "start", "--server", url, "--pool", "bench", "--name", `w${w + 1}`], env);
        processes.push(worker);
        await worker.waitForLine(/^Tributary worker started: /);
      }
    };
    const finalCount = async (ids: string[]) =>
      (await queryTestDatabase<{ n: number }>(database.url, `SELECT count(*)::int AS n FROM flow_runs WHERE id = ANY($1) AND state_type IN ${FINAL}`, [ids]))[0]!.n;
    const waitFinal = async (ids: string[]) => {
      while ((await finalCount(ids)) < ids.length) await new Promise((resolve) => setTimeout(resolve, 20));
    };

    if (mode === "throughput") {
      const workers = Number(first);
      const runs = Number(second);
      await startWorkers(workers);
      // Warm: each worker's runner has loaded the flow's bundle before the measured burst.
      await waitFinal(await Promise.all(Array.from({ length: workers * 4 }, (_, i) => create("remote", i).then((run) => run.id))));
      const ids: string[] = [];
      for (let done = 0; done < runs; done += 50) {
        ids.push(...(await Promise.all(Array.from({ length: Math.min(50, runs - done) }, (_, i) => create("remote", done + i).then((run) => run.id)))));
      }
      await waitFinal(ids);
      const [span] = await queryTestDatabase<{ first: string; last: string; completed: number; executors: number }>(
        database.url,
        `SELECT min(created_at) AS first, max(end_time) AS last, count(*) FILTER (WHERE state_type = 'COMPLETED')::int AS completed,
                count(DISTINCT host || ':' || pid)::int AS executors
         FROM flow_runs WHERE id = ANY($1)`,
        [ids],
      );
      if (span!.completed !== runs) throw new Error(`${runs - span!.completed} of ${runs} runs did not complete`);
      const wallS = (Date.parse(span!.last) - Date.parse(span!.first)) / 1000;
      console.log(JSON.stringify({ workers, runs, wallS, runsPerSecond: runs / wallS, runnerProcesses: span!.executors }));
    } else if (mode === "latency") {
      const runs = Number(first);
      await startWorkers(1);
      const latencies: Record<string, number[]> = { remote: [], local: [] };
      for (const where of ["remote", "local"] as const) {
        await waitFinal([(await create(where, -1)).id]); // warm
        for (let i = 0; i < runs; i++) {
          const run = await create(where, i);
          await waitFinal([run.id]);
          const [row] = await queryTestDatabase<{ running: string }>(
            database.url,
            `SELECT timestamp AS running FROM state_history WHERE run_id = $1 AND name = 'Running' ORDER BY timestamp LIMIT 1`,
            [run.id],
          );
          latencies[where]!.push(Date.parse(row!.running) - Date.parse(run.createdAt));
        }
      }
      const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
      console.log(
        JSON.stringify({
          remoteP50Ms: quantile(latencies.remote!, 0.5),
          remoteP95Ms: quantile(latencies.remote!, 0.95),
          localP50Ms: quantile(latencies.local!, 0.5),
          localP95Ms: quantile(latencies.local!, 0.95),
        }),
      );
    } else throw new Error(`Unknown mode ${mode}: throughput or latency.`);
  } finally {
    for (const running of processes.reverse()) running.kill("SIGTERM");
    await Promise.all(processes.map((running) => running.result));
    await database.drop();
    await Promise.all(workspaces.map((made) => made.dispose()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
