import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import { builtWorker, ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

/**
 * Deployment runs of flows that never yield their event loop (`while (true) {}`): the engine in
 * the child cannot hear a cancel or its own timeout, and sends no heartbeat. The worker ends each
 * run anyway — none stays Running. The test timeout is a guard against a hang, not a wait.
 */
describe("the worker ends runs whose process does not answer", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  after(() => workspace.dispose());

  /** Creates a run of `deployment` and resolves once it is Running (its flow spins from then on). */
  async function runningRun(server: TestServer, deployment: string): Promise<FlowRunRecord> {
    const created = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, {});
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await server.waitForRunState(created.body.id, "Running");
    return created.body;
  }

  async function withServer(options: Parameters<ServerWorkspace["start"]>[0], test: (server: TestServer) => Promise<void>): Promise<void> {
    const server = await workspace.start({ scheduler: false, automationEngine: false, ...options });
    try {
      await server.subscribe();
      await server.register([
        { name: "spin-forever/default", export: "spinForever" },
        { name: "spin-with-timeout/default", export: "spinWithTimeout" },
      ]);
      await test(server);
    } finally {
      await server.close();
    }
  }

  it("cancels a spinning run through the API: its process is stopped after the grace and the run ends Cancelled", async () => {
    await withServer({}, async (server) => {
      const run = await runningRun(server, "spin-forever/default");
      const cancelled = await server.api("POST", `/api/flow-runs/${run.id}/cancel`);
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      await server.waitForRunState(run.id, "Cancelled");
      const stored = await server.store.getFlowRun(run.id);
      assert.equal(stored?.state.name, "Cancelled");
      assert.equal(stored?.state.message, "Cancelled through the API. The flow run's process did not respond within 2 s and was stopped.");
      assert.equal(server.server.worker?.isExecuting(run.id), false, "the worker let go of it");
    });
  });

  it("ends a spinning run TimedOut at its flow's timeout", async () => {
    await withServer({}, async (server) => {
      const run = await runningRun(server, "spin-with-timeout/default");
      await server.waitForRunState(run.id, "TimedOut");
      const stored = await server.store.getFlowRun(run.id);
      assert.equal(stored?.state.message, "The flow run exceeded its timeout of 1 s; its process did not respond and was stopped.");
    });
  });

  it("ends a spinning run without a timeout Crashed when its heartbeats stop", async () => {
    const heartbeats = { worker: { ...builtWorker, heartbeatMs: 200 }, heartbeatTimeoutMs: 3000 };
    await withServer(heartbeats, async (server) => {
      const run = await runningRun(server, "spin-forever/default");
      await server.waitForRunState(run.id, "Crashed");
      const stored = await server.store.getFlowRun(run.id);
      assert.equal(stored?.state.message, "The flow run's process stopped answering (no heartbeat for 3 s) and was stopped.");
    });
  });
});
