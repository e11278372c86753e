// GET /api/flow-runs/{id}/states and /api/task-runs/{id}/states against the real server and store.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { StateHistoryEntry } from "../store/records.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

describe("state history routes", () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false });
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  const at = (second: number) => `2026-01-01T00:00:0${second}.000Z`;

  it("answers every state of a flow run and of a task run, oldest first", async () => {
    const { store } = server;
    store.createFlowRun({ id: "run-1", name: "brave-otter", flowName: "etl", state: { type: "PENDING", name: "Pending", timestamp: at(0) }, parameters: {}, tags: [], runCount: 0, createdAt: at(0) });
    store.updateFlowRun("run-1", { state: { type: "RUNNING", name: "Running", timestamp: at(1) } });
    store.createTaskRun({ id: "task-1", flowRunId: "run-1", name: "extract-1", taskName: "extract", state: { type: "PENDING", name: "Pending", timestamp: at(1) }, attempts: 0, tags: [], upstreamTaskRunIds: [], createdAt: at(1) });
    store.updateTaskRun("task-1", { state: { type: "RUNNING", name: "Running", timestamp: at(2) } });
    store.updateTaskRun("task-1", { state: { type: "FAILED", name: "Failed", message: "boom", timestamp: at(3) } });
    store.updateFlowRun("run-1", { state: { type: "FAILED", name: "Failed", timestamp: at(4) } });
    await store.flush();

    const flow = await server.api<StateHistoryEntry[]>("GET", "/api/flow-runs/run-1/states");
    assert.equal(flow.status, 200);
    assert.deepEqual(flow.body.map((s) => [s.name, s.timestamp]), [["Pending", at(0)], ["Running", at(1)], ["Failed", at(4)]]);
    const task = await server.api<StateHistoryEntry[]>("GET", "/api/task-runs/task-1/states");
    assert.equal(task.status, 200);
    assert.deepEqual(task.body.map((s) => s.name), ["Pending", "Running", "Failed"]);
    assert.equal(task.body[2]!.message, "boom");
  });

  it("answers 404 naming an unknown run", async () => {
    const flow = await server.api<{ error: { message: string } }>("GET", "/api/flow-runs/nope/states");
    assert.equal(flow.status, 404);
    const task = await server.api<{ error: { message: string } }>("GET", "/api/task-runs/nope/states");
    assert.equal(task.status, 404);
    assert.match(task.body.error.message, /"nope"/);
  });
});
