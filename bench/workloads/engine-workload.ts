// One engine measurement per process, so that each gets a fresh heap and its own peak RSS.
// Usage: node --import tsx bench/workloads/engine-workload.ts floor|persisted|persisted-postgres|fan-out|subflow|subflow-fan-out <n> <dir>
// persisted-postgres: persisted on PostgreSQL at TRIBUTARY_TEST_DATABASE_URL, in a schema of its own.
import path from "node:path";
import { configureRuntime, flow, task } from "tributaryjs";
import { openSqliteStore } from "../../runtime/src/store/sqlite-store.js";
import { openPostgresStore } from "../../runtime/src/store/postgres-store.js";
import { dropSchema } from "../../runtime/src/test-support/store-backends.js";

const [mode = "persisted", countText = "10000", dir = "."] = process.argv.slice(2);
const count = Number(countText);

async function trivial(i: number): Promise<number> {
  return i + 1;
}

async function main(): Promise<Record<string, number>> {
  if (mode === "floor") {
    const start = process.hrtime.bigint();
    let total = 0;
    for (let i = 0; i < count; i++) total += await trivial(i);
    const micros = Number(process.hrtime.bigint() - start) / 1000;
    if (total === 0) throw new Error("unreachable");
    return { microsPerStep: micros / count };
  }
  const databaseUrl = mode === "persisted-postgres" ? process.env.TRIBUTARY_TEST_DATABASE_URL : undefined;
  const schema = `bench_${process.pid}`;
  const store = databaseUrl ? await openPostgresStore(databaseUrl, { schema }) : openSqliteStore(path.join(dir, `${mode}-${process.pid}.db`));
  configureRuntime({ store });
  const step = task("step", trivial);
  if (mode === "persisted" || mode === "persisted-postgres") {
    const sequential = flow("sequential-bench", async () => {
      let total = 0;
      for (let i = 0; i < count; i++) total += await step(i);
      return total;
    });
    // The first run is timed too: it loads the engine's code paths and prepares statements, as the
    // one run of a fresh `tributary run` child does; the second is the warm figure.
    const coldStart = process.hrtime.bigint();
    await sequential();
    const coldMicros = Number(process.hrtime.bigint() - coldStart) / 1000;
    const start = process.hrtime.bigint();
    await sequential();
    const micros = Number(process.hrtime.bigint() - start) / 1000;
    const taskRuns = (await store.listFlowRuns({ flowName: "sequential-bench", limit: 1 }))[0];
    const persisted = taskRuns ? (await store.getTaskRuns(taskRuns.id)).length : 0;
    if (persisted !== count) throw new Error(`expected ${count} persisted task runs, found ${persisted}`);
    await store.close();
    if (databaseUrl) await dropSchema(databaseUrl, schema);
    return { microsPerTask: micros / count, coldMicrosPerTask: coldMicros / count };
  }
  if (mode === "subflow" || mode === "subflow-fan-out") {
    // A subflow call per item, awaited one after another or all started at once under Promise.all.
    const child = flow("child-bench", async ({ i }: { i: number }) => i + 1);
    const parentName = `${mode}-bench`;
    const parent = flow(parentName, async () => {
      if (mode === "subflow") {
        let total = 0;
        for (let i = 0; i < count; i++) total += await child({ i });
        return total;
      }
      const results = await Promise.all(Array.from({ length: count }, (_, i) => child({ i })));
      return results.length;
    });
    await parent(); // warm-up
    const start = process.hrtime.bigint();
    await parent();
    const micros = Number(process.hrtime.bigint() - start) / 1000;
    const runs = await store.listFlowRuns({ flowName: "child-bench", limit: 2 * count + 1 });
    if (runs.length !== 2 * count) throw new Error(`expected ${2 * count} stored subflow runs, found ${runs.length}`);
    await store.close();
    return { microsPerChild: micros / count };
  }
  if (mode === "fan-out") {
    const items = Array.from({ length: count }, (_, i) => i);
    const fanOut = flow("fan-out-bench", async () => {
      const results = await step.map(items).result();
      return results.length;
    });
    const start = process.hrtime.bigint();
    const n = await fanOut();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (n !== count) throw new Error(`fan-out returned ${n} results, expected ${count}`);
    await store.close();
    return { wallMs: ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  throw new Error(`unknown mode ${mode}`);
}

main().then(
  (result) => process.stdout.write(JSON.stringify(result) + "\n"),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
