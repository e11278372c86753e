import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { makeState, type StateName } from "../states.js";
import type { FlowRunRecord } from "./records.js";
import type { Store } from "./store.js";
import { storeBackends, type TestStore } from "../test-support/store-backends.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");

function flowRun(id: string, state: StateName, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return { id, name: `name-${id}`, flowName: "etl", state: makeState(state, t0), parameters: {}, tags: [], runCount: 1, createdAt: t0.toISOString(), ...overrides };
}

for (const backend of storeBackends()) {
  describe(`Store run history on ${backend.name}: pages and clearing`, { skip: backend.skip }, () => {
    let opened: TestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(async () => {
      await opened.dispose();
    });

    it("pages top-level runs newest first with a `before` cursor, skipping subflow runs", async () => {
      for (let i = 1; i <= 7; i++) store.createFlowRun(flowRun(`p${i}`, "Completed"));
      store.createFlowRun(flowRun("p3-child", "Completed", { parentFlowRunId: "p3" }));
      store.createFlowRun(flowRun("p8", "Completed"));
      const ids = async (before?: string) =>
        (await store.listFlowRuns({ parentFlowRunId: null, limit: 3, ...(before !== undefined ? { before } : {}) })).map((run) => run.id);
      assert.deepEqual(await ids(), ["p8", "p7", "p6"]);
      assert.deepEqual(await ids("p6"), ["p5", "p4", "p3"]);
      assert.deepEqual(await ids("p3"), ["p2", "p1"]);
      assert.deepEqual(await ids("p1"), []);
      assert.deepEqual(await ids("no-such-run"), []);
    });

    it("deletes finished runs with their task runs, history and logs, and keeps runs not final", async () => {
      store.createFlowRun(flowRun("done", "Completed"));
      store.createTaskRun({ id: "done-t", flowRunId: "done", name: "t-0", taskName: "t", state: makeState("Completed", t0), attempts: 1, tags: [], upstreamTaskRunIds: [], createdAt: t0.toISOString() });
      store.appendLog({ flowRunId: "done", level: "info", message: "bye", timestamp: t0.toISOString() });
      store.createFlowRun(flowRun("live", "Running"));
      store.appendLog({ flowRunId: "live", level: "info", message: "still here", timestamp: t0.toISOString() });
      store.createFlowRun(flowRun("later", "Scheduled"));
      const before = (await store.listFlowRuns({ limit: 1000 })).length;
      const deleted = await store.deleteFinishedFlowRuns();
      assert.equal(deleted, before - 2);
      assert.deepEqual((await store.listFlowRuns({ limit: 1000 })).map((run) => run.id).sort(), ["later", "live"]);
      assert.equal(await store.getFlowRun("done"), undefined);
      assert.deepEqual(await store.getTaskRuns("done"), []);
      assert.deepEqual(await store.getLogs("done"), []);
      assert.deepEqual(await store.getStateHistory("done-t"), []);
      assert.deepEqual(await store.getStateHistory("done"), []);
      assert.deepEqual((await store.getLogs("live")).map((log) => log.message), ["still here"]);
      assert.equal(await store.deleteFinishedFlowRuns(), 0);
    });
  });
}
