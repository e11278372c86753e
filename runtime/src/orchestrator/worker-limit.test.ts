import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import { builtWorker, ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

describe("a worker with a limit of its own", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false, worker: { ...builtWorker, limit: 2 } });
    await server.subscribe();
    await server.register([
      { name: "add/default", export: "add", parameters: { a: 10 } },
      { name: "hang/one-at-a-time", export: "hang", concurrencyLimit: 1 },
    ]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  const create = async (deployment: string) =>
    (await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, {})).body;

  it("starts the next due run when an older one waits for its deployment's slot, and keeps the older one waiting", async () => {
    const running = await create("hang/one-at-a-time");
    await server.waitForRunState(running.id, "Running");
    const held = await create("hang/one-at-a-time");
    await server.waitForRunState(held.id, "AwaitingConcurrencySlot");
    // One slot of the worker's two is free: the held run, older and first in line, must not keep it.
    const next = await create("add/default");
    const completed = await server.waitForRunState(next.id, "Completed");
    assert.equal((completed.payload as unknown as { flowRun: FlowRunRecord }).flowRun.result, 12);
    assert.equal((await server.store.getFlowRun(held.id))?.state.name, "AwaitingConcurrencySlot");

    // The held run starts when the slot is given back, within the worker's limit.
    await server.api("POST", `/api/flow-runs/${running.id}/cancel`);
    await server.waitForRunState(held.id, "Running");
    await server.api("POST", `/api/flow-runs/${held.id}/cancel`);
    await server.waitForRunState(held.id, "Cancelled");
  });
});
