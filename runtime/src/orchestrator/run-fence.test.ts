import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

/**
 * A run ended by someone else while its process still executes it (another server's crash sweep,
 * here the same store call that sweep makes) is not the process's to write any more: the store
 * refuses the state it writes next, the process stops executing the run, and the run stays as the
 * server left it — as Prefect's orchestration aborts a client's transition out of a final state.
 */
describe("a run's process whose run was ended meanwhile stops without writing over it", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false });
    await server.subscribe();
    await server.register([{ name: "fails-once-when-told/default", export: "failsOnceWhenTold" }]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("keeps a run Crashed by the server when its process goes on to fail and would retry", async () => {
    const created = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("fails-once-when-told/default")}/runs`, {});
    assert.equal(created.status, 201);
    const id = created.body.id;
    await server.waitForEvent((event) => event.event === "fixture.told.waiting");
    assert.equal((await server.store.getFlowRun(id))?.state.name, "Running");

    // Ended by the server while the flow waits; then the flow fails its first attempt, and its
    // process writes AwaitingRetry (refused), which would have been followed by a second attempt.
    await server.store.markRunCrashed(id, "Its heartbeat stopped (another server's sweep).", new Date());
    writeFileSync(path.join(server.workDir, "told"), "");
    // The worker is idle once the run's process has told it how the run ended.
    await server.server.idle();

    const run = await server.store.getFlowRun(id);
    assert.deepEqual([run?.state.name, run?.state.message, run?.runCount], ["Crashed", "Its heartbeat stopped (another server's sweep).", 1]);
    assert.deepEqual(
      (await server.store.getStateHistory(id)).map((state) => state.name),
      ["Scheduled", "Pending", "Running", "Crashed"],
      "no state after the server's, and none refused in the history",
    );
    const stored = await server.store.listEvents({ limit: 1_000 });
    assert.deepEqual(
      stored.filter((event) => event.resource.id === `tributary.flow-run.${id}`).map((event) => event.event),
      ["tributary.flow-run.Scheduled", "tributary.flow-run.Pending", "tributary.flow-run.Running"],
      "no event claims a state the store refused",
    );
    assert.equal(stored.filter((event) => event.event === "fixture.told.retried").length, 0, "the process did not go on to a retry");
  });
});
