import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { makeState, type StateName } from "../states.js";
import type { FlowRunRecord } from "./records.js";
import { openSqliteStore, type SqliteStore } from "./sqlite-store.js";
import { sqliteDriverCases } from "../test-support/sqlite-driver-cases.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");

function flowRun(id: string, state: StateName, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return { id, name: `name-${id}`, flowName: "etl", state: makeState(state, t0), parameters: {}, tags: [], runCount: 1, createdAt: t0.toISOString(), ...overrides };
}

for (const { driver, skip } of sqliteDriverCases()) {
  describe(`SqliteStore run history on ${driver}: pages and clearing`, { skip }, () => {
    let dir: string;
    let store: SqliteStore;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), "tributary-history-"));
      store = openSqliteStore(path.join(dir, "tributary.db"), { driver });
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
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
