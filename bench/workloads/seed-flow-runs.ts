// Seeds a store with many finished top-level flow runs (each with one task run every 100 runs),
// through the store's own bulk path: what a workspace looks like after months of runs.
import { makeState } from "../../runtime/src/states.js";
import { newRunId } from "../../runtime/src/store/run-ids.js";
import { openSqliteStore } from "../../runtime/src/store/sqlite-store.js";

export async function seedFlowRuns(dbPath: string, count: number): Promise<void> {
  const store = openSqliteStore(dbPath);
  const start = Date.parse("2026-01-01T00:00:00.000Z");
  const flows = ["etl", "report", "orchestrator-flow", "upstream-flow", "downstream-flow"];
  for (let i = 0; i < count; i++) {
    const created = start + i * 60_000;
    const id = newRunId(created);
    const failed = i % 17 === 0;
    store.createFlowRun({
      id,
      name: `seeded-run-${i}`,
      flowName: flows[i % flows.length]!,
      state: makeState(failed ? "Failed" : "Completed", new Date(created + 2500), failed ? "Task extract-0 failed" : undefined),
      parameters: { batch: i, source: `s3://bucket/${i}.csv` },
      tags: ["seeded"],
      runCount: 1,
      createdAt: new Date(created).toISOString(),
      startTime: new Date(created + 10).toISOString(),
      endTime: new Date(created + 2500).toISOString(),
      entrypoint: "orchestrator-flow.ts:orchestrator",
    });
    if (i % 100 === 0) {
      store.createTaskRun({ id: newRunId(created + 1), flowRunId: id, name: "extract-0", taskName: "extract", state: makeState("Completed", new Date(created + 100)), attempts: 1, tags: [], upstreamTaskRunIds: [], createdAt: new Date(created + 20).toISOString() });
    }
  }
  await store.close();
}
