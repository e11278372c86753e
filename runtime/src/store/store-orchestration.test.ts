import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeState } from "../states.js";
import type { DeploymentRecord } from "../orchestrator/contract.js";
import type { FlowRunRecord } from "./records.js";
import { storeBackends } from "../test-support/store-backends.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");

function scheduled(id: string, key?: string): FlowRunRecord & { deploymentId: string } {
  return {
    id,
    name: `run-${id}`,
    flowName: "etl",
    deploymentId: "d1",
    state: makeState("Scheduled", t0),
    parameters: {},
    tags: [],
    runCount: 0,
    createdAt: t0.toISOString(),
    expectedStartTime: t0.toISOString(),
    chain: [{ kind: "deployment", id: "d1", name: "etl/nightly" }],
    ...(key !== undefined ? { idempotencyKey: key } : {}),
  };
}

const deployment: DeploymentRecord = {
  id: "d1",
  name: "etl/nightly",
  flowName: "etl",
  entrypoint: "etl.ts:etl",
  workDir: "/tmp",
  schedules: [{ interval: "1h" }],
  parameters: { full: false },
  tags: [],
  paused: false,
  triggers: [],
  createdAt: t0.toISOString(),
  updatedAt: t0.toISOString(),
};

for (const backend of storeBackends()) {
  describe(`Store on ${backend.name}: deployments, deployment runs and events`, { skip: backend.skip }, () => {
    it("creates one run per idempotency key, even across reopening", async () => {
      const opened = await backend.open();
      let store = opened.store;
      const first = await store.createDeploymentRun(scheduled("r1", "k"));
      assert.equal(first.created, true);
      const again = await store.createDeploymentRun(scheduled("r2", "k"));
      assert.deepEqual([again.created, again.run.id], [false, "r1"]);
      assert.deepEqual(again.run.chain, [{ kind: "deployment", id: "d1", name: "etl/nightly" }]);
      await store.close();
      store = await opened.reopen();
      assert.equal((await store.createDeploymentRun(scheduled("r3", "k"))).run.id, "r1");
      assert.equal((await store.createDeploymentRun(scheduled("r4"))).created, true);
      assert.deepEqual((await store.listActiveFlowRuns()).map((run) => run.id), ["r1", "r4"]);
      assert.deepEqual((await store.listFlowRuns({ deploymentId: "d1", sort: "created-asc" })).map((run) => run.id), ["r1", "r4"]);
      await store.recordHeartbeat(["r1"], t0);
      assert.equal((await store.getFlowRun("r1"))?.heartbeat, t0.toISOString());
      await opened.dispose();
    });

    it("creates runs asked for together once per idempotency key, storing each new run's event with it", async () => {
      const opened = await backend.open();
      const store = opened.store;
      const eventOf = (id: string) => ({
        id: `event-${id}`,
        occurred: t0.toISOString(),
        event: "tributary.flow-run.Scheduled",
        resource: { id: `tributary.flow-run.${id}` },
        payload: {},
      });
      // Asked for in one turn, as a burst of requests is.
      const answers = await Promise.all([
        store.createDeploymentRun(scheduled("t1", "same"), eventOf("t1")),
        store.createDeploymentRun(scheduled("t2", "same"), eventOf("t2")),
        store.createDeploymentRun(scheduled("t3"), eventOf("t3")),
        store.createDeploymentRun(scheduled("t4")),
      ]);
      assert.deepEqual(answers.map((answer) => [answer.run.id, answer.created]), [["t1", true], ["t1", false], ["t3", true], ["t4", true]]);
      assert.deepEqual((await store.listFlowRuns({ deploymentId: "d1", sort: "created-asc" })).map((run) => run.id).sort(), ["t1", "t3", "t4"]);
      // The event of a run that was not created (t2: t1 had the key) is not stored.
      assert.deepEqual((await store.listEvents()).map((event) => event.id), ["event-t1", "event-t3"]);
      assert.deepEqual((await store.getStateHistory("t3")).map((state) => state.name), ["Scheduled"]);
      await opened.dispose();
    });

    it("saves deployments and automations by name, keeping id and creation time", async () => {
      const opened = await backend.open();
      const store = opened.store;
      await store.saveDeployment(deployment);
      const later = new Date(t0.getTime() + 1000).toISOString();
      const saved = await store.saveDeployment({ ...deployment, id: "other", paused: true, createdAt: later, updatedAt: later });
      assert.deepEqual([saved.id, saved.createdAt, saved.paused], ["d1", t0.toISOString(), true]);
      assert.deepEqual(await store.getDeploymentById("d1"), saved);
      assert.deepEqual((await store.listDeployments()).map((d) => d.name), ["etl/nightly"]);
      await store.saveAutomation({ id: "a1", name: "after-etl", trigger: {}, actions: [], enabled: true, createdAt: t0.toISOString(), updatedAt: t0.toISOString() });
      assert.equal((await store.getAutomation("after-etl"))?.enabled, true);
      await opened.dispose();
    });

    it("appends events and lists the newest, oldest first, by name or resource", async () => {
      const opened = await backend.open();
      const store = opened.store;
      for (let i = 0; i < 5; i++) {
        store.appendEvent({ id: `e${i}`, occurred: t0.toISOString(), event: i % 2 ? "odd" : "even", resource: { id: `r${i % 2}` }, payload: { i } });
      }
      assert.deepEqual((await store.listEvents({ limit: 2 })).map((e) => e.id), ["e3", "e4"]);
      assert.deepEqual((await store.listEvents({ event: "odd" })).map((e) => e.id), ["e1", "e3"]);
      assert.deepEqual((await store.listEvents({ resourceId: "r0" })).map((e) => e.payload.i), [0, 2, 4]);
      await opened.dispose();
    });
  });
}
