import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { makeState, type StateName } from "../../states.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import type { FlowRunRecord, TaskRunRecord } from "../../store/records.js";
import { ReportedRuns } from "./reported-runs.js";

const at = (ms: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, 0, ms));

function flowRun(state: StateName, ms: number): FlowRunRecord {
  return {
    id: "flow-1",
    name: "calm-newt",
    flowName: "long-flow",
    state: makeState(state, at(ms)),
    parameters: {},
    tags: [],
    runCount: 1,
    createdAt: at(0).toISOString(),
    ...(state === "Running" ? { startTime: at(ms).toISOString() } : {}),
  };
}

function taskRun(state: StateName, ms: number): TaskRunRecord {
  return {
    id: "task-1",
    flowRunId: "flow-1",
    name: "wait-long-0",
    taskName: "wait-long",
    state: makeState(state, at(ms)),
    attempts: 1,
    tags: [],
    upstreamTaskRunIds: [],
    createdAt: at(2).toISOString(),
  };
}

describe("ReportedRuns", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-reported-runs-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the runs and transitions a dead child reported but never committed", async () => {
    const store = openSqliteStore(path.join(dir, "tributary.db"));
    // What the child committed before it died: the flow run, Pending.
    store.createFlowRun(flowRun("Pending", 0));
    await store.flush();

    const reported = new ReportedRuns();
    reported.receive({ kind: "flow-run", run: flowRun("Pending", 0) });
    reported.receive({ kind: "flow-run", run: flowRun("Running", 1) });
    reported.receive({ kind: "task-run", run: taskRun("Pending", 2) });
    reported.receive({ kind: "task-run", run: taskRun("Running", 3) });
    await reported.writeMissing(store);

    assert.deepEqual((await store.getStateHistory("flow-1")).map((entry) => entry.name), ["Pending", "Running"]);
    assert.equal((await store.getFlowRun("flow-1"))!.startTime, at(1).toISOString());
    assert.deepEqual((await store.getStateHistory("task-1")).map((entry) => entry.name), ["Pending", "Running"]);

    // Written once: a second pass finds nothing missing.
    await reported.writeMissing(store);
    assert.deepEqual((await store.getStateHistory("flow-1")).map((entry) => entry.name), ["Pending", "Running"]);

    await store.markRunCrashed("flow-1", "killed", at(10));
    assert.equal((await store.getTaskRun("task-1"))!.state.name, "Crashed");
    await store.close();
  });
});
