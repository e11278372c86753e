import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

// A deployment run the worker executes pauses itself; POST /api/flow-runs/{id}/resume resumes it.
// The test timeout is a guard against a hang, not a wait.
describe("pausing and resuming a worker's run", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false, automationEngine: false });
    await server.subscribe();
    await server.register([{ name: "waits-for-approval/default", export: "waitsForApproval" }]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("resumes a Paused run by its name through the API; its process carries on and reports Running once", async () => {
    const run = (await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("waits-for-approval/default")}/runs`, {})).body;
    await server.waitForRunState(run.id, "Paused");

    const resumed = await server.api<FlowRunRecord>("POST", `/api/flow-runs/${encodeURIComponent(run.name)}/resume`);
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.deepEqual([resumed.body.id, resumed.body.state.name, resumed.body.state.message], [run.id, "Running", "Resumed."]);
    const completed = await server.waitForRunState(run.id, "Completed");
    assert.equal((completed.payload as unknown as { flowRun: FlowRunRecord }).flowRun.result, "approved");

    const history = (await server.store.getStateHistory(run.id)).map((s) => s.name);
    assert.deepEqual(history, ["Scheduled", "Pending", "Running", "Paused", "Running", "Completed"]);
    const runningEvents = server.events.filter((e) => e.resource.id === `tributary.flow-run.${run.id}` && e.event === "tributary.flow-run.Running");
    assert.equal(runningEvents.length, 2, "the first Running and the resumed one, each published once");

    const again = await server.api<{ error: { message: string } }>("POST", `/api/flow-runs/${run.id}/resume`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.message, `Flow run ${run.name} is Completed, not Paused; only a paused run can be resumed.`);
  });
});
