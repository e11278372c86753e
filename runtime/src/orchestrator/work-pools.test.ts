// Work pools: a server's worker runs the deployment runs of the pools it serves and leaves the
// others Scheduled, for a worker of their pool.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import type { DeploymentRecord, FlowRunEventPayload, ListedWorker } from "./contract.js";
import { builtWorker, ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

describe("work pools", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false, worker: { ...builtWorker, pools: ["gpu"] } });
    await server.subscribe();
    await server.register([
      { name: "add/anywhere", export: "add" },
      { name: "add/on-gpu", export: "add", pool: "gpu" },
    ]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  const createRun = async (deployment: string) => {
    const created = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, {});
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };

  it("runs its pool's run and leaves the default pool's, created before it, Scheduled", async () => {
    // The worker looks at due runs oldest first: had it taken the default pool's, it would have claimed it first.
    const elsewhere = await createRun("add/anywhere");
    const mine = await createRun("add/on-gpu");
    await server.waitForRunState(mine.id, "Completed");
    assert.equal((await server.store.getFlowRun(mine.id))!.result, 3);
    assert.equal((await server.store.getFlowRun(elsewhere.id))!.state.name, "Scheduled");
  });

  it("records on the run it claimed the name GET /api/workers lists it by, in the store and in the run's events; a run no worker took has none", async () => {
    const workers = (await server.api<ListedWorker[]>("GET", "/api/workers")).body;
    assert.equal(workers.length, 1);
    const name = workers[0]!.name;
    const elsewhere = await createRun("add/anywhere");
    const mine = await createRun("add/on-gpu");
    assert.equal(mine.workerName, undefined, "not claimed yet as it is created");
    const completed = await server.waitForRunState(mine.id, "Completed");
    assert.equal((completed.payload as unknown as FlowRunEventPayload).flowRun.workerName, name);
    const running = await server.waitForRunState(mine.id, "Running");
    assert.equal((running.payload as unknown as FlowRunEventPayload).flowRun.workerName, name);
    assert.equal((await server.store.getFlowRun(mine.id))!.workerName, name);
    assert.equal((await server.store.getFlowRun(elsewhere.id))!.workerName, undefined);
  });

  it("keeps a deployment's pool, and refuses a pool name that is not one with 400 naming the field", async () => {
    const listed = await server.api<DeploymentRecord[]>("GET", "/api/deployments");
    assert.deepEqual(listed.body.map((d) => [d.name, d.pool ?? null]), [["add/anywhere", null], ["add/on-gpu", "gpu"]]);
    const refused = await server.api<{ error: { message: string } }>("POST", "/api/deployments", {
      deployments: [{ name: "add/bad", flowName: "add", entrypoint: "deployed-flows.ts:add", workDir: server.workDir, pool: "no spaces" }],
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /pool/);
  });
});
