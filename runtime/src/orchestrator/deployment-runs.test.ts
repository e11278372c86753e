import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import type { DeploymentRecord, UpsertResult } from "./contract.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

describe("the server runs deployments", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false });
    await server.subscribe();
    await server.register([
      { name: "add/default", export: "add", parameters: { a: 10 }, tags: ["math"] },
      {
        name: "add/checked",
        export: "add",
        parameterSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, additionalProperties: false },
      },
      { name: "hang/one-at-a-time", export: "hang", concurrencyLimit: 1 },
      { name: "hang/gpu", export: "hang", tags: ["gpu"] },
    ]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("reports created / updated / unchanged when deployments are registered again", async () => {
    const again = await server.api<{ results: UpsertResult<DeploymentRecord>[] }>("POST", "/api/deployments", {
      deployments: [
        { name: "add/default", flowName: "add", entrypoint: "deployed-flows.ts:add", workDir: server.workDir, parameters: { a: 10 }, tags: ["math"] },
        { name: "add/other", flowName: "add", entrypoint: "deployed-flows.ts:add", workDir: server.workDir, description: "new" },
      ],
    });
    assert.deepEqual(again.body.results.map((r) => [r.name, r.status]), [["add/default", "unchanged"], ["add/other", "created"]]);
    const listed = await server.api<DeploymentRecord[]>("GET", "/api/deployments");
    assert.deepEqual(listed.body.map((d) => d.name), ["add/checked", "add/default", "add/other", "hang/gpu", "hang/one-at-a-time"]);
    const missing = await server.api<{ error: { message: string } }>("GET", `/api/deployments/${encodeURIComponent("add/defualt")}`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /No deployment named "add\/defualt"\. Did you mean "add\/default"\?/);
  });

  it("creates a Scheduled run with merged parameters and the chain, and the worker runs it to Completed", async () => {
    const created = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("add/default")}/runs`, {
      parameters: { b: 5 },
      chain: [{ kind: "automation", id: "a1", name: "after-etl" }],
    });
    assert.equal(created.status, 201);
    const run = created.body;
    assert.deepEqual([run.state.name, run.parameters, run.tags], ["Scheduled", { a: 10, b: 5 }, ["math"]]);
    assert.deepEqual(run.chain?.map((link) => link.kind), ["automation", "deployment", "flow-run"]);
    assert.equal(run.chain?.at(-1)?.id, run.id);
    const completed = await server.waitForRunState(run.id, "Completed");
    const payload = completed.payload as unknown as { flowRun: FlowRunRecord };
    assert.equal(payload.flowRun.result, 15);
    assert.equal(completed.resource.deploymentName, "add/default");
    assert.deepEqual(completed.chain, run.chain);
    const stored = await server.api<FlowRunRecord>("GET", `/api/flow-runs/${run.id}`);
    assert.deepEqual([stored.body.state.name, stored.body.deploymentId, stored.body.name], ["Completed", run.deploymentId, run.name]);
    const history = await server.store.getStateHistory(run.id);
    assert.deepEqual(history.map((s) => s.name), ["Scheduled", "Pending", "Running", "Completed"]);
    for (const state of ["Scheduled", "Pending", "Running", "Completed"]) {
      assert.ok(server.events.some((e) => e.event === `tributary.flow-run.${state}` && e.resource.id === `tributary.flow-run.${run.id}`), state);
    }
  });

  it("returns the existing run for an idempotency key (200), and a new one without", async () => {
    const route = `/api/deployments/${encodeURIComponent("add/default")}/runs`;
    const first = await server.api<FlowRunRecord>("POST", route, { idempotencyKey: "batch-7" });
    const second = await server.api<FlowRunRecord>("POST", route, { idempotencyKey: "batch-7", parameters: { a: 99 } });
    assert.deepEqual([first.status, second.status], [201, 200]);
    assert.equal(second.body.id, first.body.id);
    await server.waitForRunState(first.body.id, "Completed");
    const runs = await server.api<FlowRunRecord[]>("GET", `/api/flow-runs?deploymentName=${encodeURIComponent("add/default")}&limit=50`);
    assert.equal(runs.body.filter((r) => r.idempotencyKey === "batch-7").length, 1);
  });

  it("refuses parameters that do not fit the schema with 422 naming the parameter, writing nothing", async () => {
    const before = (await server.store.listFlowRuns({ limit: 1000 })).length;
    const route = `/api/deployments/${encodeURIComponent("add/checked")}/runs`;
    const wrongType = await server.api<{ error: { code: string; message: string } }>("POST", route, { parameters: { a: "ten" } });
    assert.equal(wrongType.status, 422);
    assert.match(wrongType.body.error.message, /Parameter "a" must be number/);
    const unknown = await server.api<{ error: { message: string } }>("POST", route, { parameters: { c: 1 } });
    assert.match(unknown.body.error.message, /Unknown parameter "c"/);
    assert.equal((await server.store.listFlowRuns({ limit: 1000 })).length, before);
  });

  it("keeps a deployment's concurrency limit, pauses and resumes, and cancels a running run", async () => {
    const route = `/api/deployments/${encodeURIComponent("hang/one-at-a-time")}/runs`;
    const first = (await server.api<FlowRunRecord>("POST", route, {})).body;
    const second = (await server.api<FlowRunRecord>("POST", route, {})).body;
    await server.waitForRunState(first.id, "Running");
    const waiting = await server.waitForRunState(second.id, "AwaitingConcurrencySlot");
    assert.match(String((waiting.payload as { state: { message?: string } }).state.message), /^Deployment hang\/one-at-a-time runs at most 1 run at a time; this one starts when one ends\.$/);

    const paused = await server.api<DeploymentRecord>("POST", `/api/deployments/${encodeURIComponent("hang/one-at-a-time")}/pause`);
    assert.equal(paused.body.paused, true);
    const refused = await server.api<{ error: { message: string } }>("POST", route, {});
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /is paused; resume it with `tributary deployment resume hang\/one-at-a-time`/);
    await server.api("POST", `/api/deployments/${encodeURIComponent("hang/one-at-a-time")}/resume`);

    const cancelled = await server.api<FlowRunRecord>("POST", `/api/flow-runs/${first.id}/cancel`);
    assert.equal(cancelled.status, 200);
    await server.waitForRunState(first.id, "Cancelled");
    await server.waitForRunState(second.id, "Running");
    await server.api("POST", `/api/flow-runs/${second.id}/cancel`);
    await server.waitForRunState(second.id, "Cancelled");
    const history = (await server.store.getStateHistory(second.id)).map((s) => s.name);
    assert.deepEqual(history.slice(0, 4), ["Scheduled", "AwaitingConcurrencySlot", "Pending", "Running"], "waited for its slot once, recorded");
  });

  it("keeps tag concurrency limits for deployment runs", async () => {
    await server.store.createConcurrencyLimit("gpu", 1, new Date());
    const route = `/api/deployments/${encodeURIComponent("hang/gpu")}/runs`;
    const first = (await server.api<FlowRunRecord>("POST", route, {})).body;
    const second = (await server.api<FlowRunRecord>("POST", route, {})).body;
    await server.waitForRunState(first.id, "Running");
    await server.waitForRunState(second.id, "AwaitingConcurrencySlot");
    assert.equal((await server.store.getFlowRun(second.id))?.state.name, "AwaitingConcurrencySlot");
    assert.deepEqual((await server.store.listConcurrencyLimits()).map((l) => [l.tag, l.active]), [["gpu", 1]]);
    await server.api("POST", `/api/flow-runs/${first.id}/cancel`);
    await server.waitForRunState(second.id, "Running");
    await server.api("POST", `/api/flow-runs/${second.id}/cancel`);
    await server.waitForRunState(second.id, "Cancelled");
  });

  it("marks a run Crashed when its process is killed", async () => {
    const run = (await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("hang/one-at-a-time")}/runs`, {})).body;
    const running = await server.waitForRunState(run.id, "Running");
    const pid = (running.payload as unknown as { flowRun: FlowRunRecord }).flowRun.pid!;
    assert.notEqual(pid, process.pid);
    process.kill(pid, "SIGKILL");
    const crashed = await server.waitForRunState(run.id, "Crashed");
    assert.match(String((crashed.payload as { state: { message?: string } }).state.message), /killed by SIGKILL/);
    assert.equal((await server.store.getFlowRun(run.id))?.state.name, "Crashed");
  });

  it("retries a finished deployment run under the same id", async () => {
    const run = (await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("add/default")}/runs`, {})).body;
    await server.waitForRunState(run.id, "Completed");
    const count = server.events.filter((e) => e.event === "tributary.flow-run.Completed" && e.resource.id === `tributary.flow-run.${run.id}`).length;
    const retried = await server.api<FlowRunRecord>("POST", `/api/flow-runs/${run.id}/retry`);
    assert.equal(retried.body.state.name, "Scheduled");
    await server.waitForEvent(
      (e) => e.event === "tributary.flow-run.Completed" && e.resource.id === `tributary.flow-run.${run.id}` && server.events.filter((x) => x === e || (x.event === e.event && x.resource.id === e.resource.id)).length > count,
    );
    assert.equal((await server.store.getFlowRun(run.id))?.runCount, 2);
  });
});
