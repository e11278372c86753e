import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { makeState } from "../states.js";
import type { FlowRunRecord } from "../store/records.js";
import type { ListedFlowRun } from "./contract.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

const at = new Date("2026-01-01T00:00:00.000Z");

describe("the flow-run history API: pages and clearing", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false });
    await server.subscribe();
    await server.register([{ name: "hang/default", export: "hang" }]);
    for (let i = 1; i <= 5; i++) {
      server.store.createFlowRun({ id: `old-${i}`, name: `old-${i}`, flowName: "etl", state: makeState("Completed", at), parameters: {}, tags: [], runCount: 1, createdAt: at.toISOString() });
    }
    await server.store.flush();
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("reads the next page after a `before` cursor and names a bad cursor", async () => {
    const first = await server.api<FlowRunRecord[]>("GET", "/api/flow-runs?parentFlowRunId=null&limit=2");
    assert.deepEqual(first.body.map((run) => run.id), ["old-5", "old-4"]);
    const next = await server.api<FlowRunRecord[]>("GET", `/api/flow-runs?parentFlowRunId=null&limit=2&before=${first.body.at(-1)!.id}`);
    assert.deepEqual(next.body.map((run) => run.id), ["old-3", "old-2"]);
    const bad = await server.api<{ error: { message: string } }>("GET", "/api/flow-runs?before=nope");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /`before` must be the id of a flow run, got "nope"/);
  });

  it("refuses to clear while a run executes, then deletes only finished runs", async () => {
    const created = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("hang/default")}/runs`, {});
    await server.waitForRunState(created.body.id, "Running");
    const refused = await server.api<{ error: { message: string } }>("DELETE", "/api/flow-runs");
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, new RegExp(`1 flow run is still executing \\(${created.body.name}\\)`));
    assert.equal((await server.api<FlowRunRecord[]>("GET", "/api/flow-runs?limit=100")).body.length, 6, "nothing was deleted");

    await server.api("POST", `/api/flow-runs/${created.body.id}/cancel`);
    await server.waitForRunState(created.body.id, "Cancelled");
    server.store.createFlowRun({ id: "waiting", name: "waiting", flowName: "etl", state: makeState("Scheduled", at), parameters: {}, tags: [], runCount: 0, createdAt: at.toISOString() });
    await server.store.flush();
    const cleared = await server.api<{ deleted: number }>("DELETE", "/api/flow-runs");
    assert.equal(cleared.status, 200);
    assert.deepEqual(cleared.body, { deleted: 6 });
    assert.deepEqual((await server.api<FlowRunRecord[]>("GET", "/api/flow-runs?limit=100")).body.map((run) => run.id), ["waiting"]);
  });

  it("with resultChars, lists a long result as its preview and keeps a short one; the run's own route has the whole value", async () => {
    const long = { rows: "x".repeat(500) };
    server.store.createFlowRun({ id: "result-long", name: "result-long", flowName: "results", state: makeState("Completed", at), parameters: {}, result: long, tags: [], runCount: 1, createdAt: at.toISOString() });
    server.store.createFlowRun({ id: "result-short", name: "result-short", flowName: "results", state: makeState("Completed", at), parameters: {}, result: "b-42:14", tags: [], runCount: 1, createdAt: at.toISOString() });
    await server.store.flush();
    const listed = await server.api<ListedFlowRun[]>("GET", "/api/flow-runs?flowName=results&resultChars=100");
    const byId = new Map(listed.body.map((run) => [run.id, run]));
    assert.equal(byId.get("result-short")!.result, "b-42:14");
    assert.equal(byId.get("result-short")!.resultPreview, undefined);
    assert.equal(byId.get("result-long")!.result, undefined);
    assert.equal(byId.get("result-long")!.resultPreview, JSON.stringify(long).slice(0, 100));
    const uncapped = await server.api<ListedFlowRun[]>("GET", "/api/flow-runs?flowName=results");
    assert.deepEqual(uncapped.body.find((run) => run.id === "result-long")!.result, long);
    assert.deepEqual((await server.api<FlowRunRecord>("GET", "/api/flow-runs/result-long")).body.result, long);
    const bad = await server.api<{ error: { message: string } }>("GET", "/api/flow-runs?resultChars=0");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /resultChars/);
  });

  it("with worker=, lists the runs that worker claimed, newest first and by page, and names a bad `worker` in a 400", async () => {
    const run = (id: string, workerName?: string): FlowRunRecord => ({
      id, name: id, flowName: "claimed", deploymentId: "d-claimed", state: makeState("Completed", at), parameters: {}, tags: [], runCount: 1, createdAt: at.toISOString(),
      ...(workerName !== undefined ? { workerName } : {}),
    });
    // A name as `<host>:<pid>` or --name makes it: any text, slashes and spaces too.
    const box = "box 7/gpu:4242";
    for (const [id, worker] of [["by-box-1", box], ["by-other", "other"], ["by-box-2", box], ["by-none", undefined], ["by-box-3", box]] as const) server.store.createFlowRun(run(id, worker));
    await server.store.flush();
    const list = async (query: string) => (await server.api<ListedFlowRun[]>("GET", `/api/flow-runs?${query}`)).body.map((r) => r.id);
    const worker = `worker=${encodeURIComponent(box)}`;
    assert.deepEqual(await list(worker), ["by-box-3", "by-box-2", "by-box-1"]);
    assert.deepEqual(await list(`${worker}&limit=2&before=by-box-3`), ["by-box-2", "by-box-1"]);
    assert.deepEqual(await list(`${worker}&flowName=claimed&state=Completed`), ["by-box-3", "by-box-2", "by-box-1"], "with the other filters");
    assert.deepEqual(await list(`${worker}&flowName=nothing-like-it`), []);
    assert.deepEqual(await list("worker=other"), ["by-other"]);
    assert.deepEqual(await list("worker=box"), [], "a name matches whole");
    assert.deepEqual(await list("worker=never-seen"), [], "a worker no run names lists nothing");

    for (const [query, message] of [
      ["worker=", /The query parameter `worker` must not be empty, got "" \(string\)\./],
      [`worker=${"w".repeat(1001)}`, /The query parameter `worker` must be at most 1000 characters long/],
      ["worker=a&worker=b", /The query parameter `worker` is given more than once/],
    ] as const) {
      const bad = await server.api<{ error: { message: string } }>("GET", `/api/flow-runs?${query}`);
      assert.equal(bad.status, 400, query.slice(0, 40));
      assert.match(bad.body.error.message, message);
    }
    assert.deepEqual(await list(`worker=${"w".repeat(1000)}`), [], "the longest name is taken");
  });

  it("with withChildren=true, says of each listed run whether it has task runs or subflow runs", async () => {
    const run = (id: string, extra: Partial<FlowRunRecord> = {}): FlowRunRecord => ({ id, name: id, flowName: "kids", state: makeState("Completed", at), parameters: {}, tags: [], runCount: 1, createdAt: at.toISOString(), ...extra });
    server.store.createFlowRun(run("kids-none"));
    server.store.createFlowRun(run("kids-tasks"));
    server.store.createTaskRun({ id: "kids-task", flowRunId: "kids-tasks", name: "t-0", taskName: "t", state: makeState("Completed", at), attempts: 1, tags: [], upstreamTaskRunIds: [], createdAt: at.toISOString() });
    server.store.createFlowRun(run("kids-parent"));
    server.store.createFlowRun(run("kids-sub", { flowName: "kids-child", parentFlowRunId: "kids-parent" }));
    await server.store.flush();
    const listed = await server.api<ListedFlowRun[]>("GET", "/api/flow-runs?flowName=kids&withChildren=true");
    assert.deepEqual(Object.fromEntries(listed.body.map((r) => [r.id, r.hasChildren])), { "kids-none": false, "kids-tasks": true, "kids-parent": true });
    const plain = await server.api<ListedFlowRun[]>("GET", "/api/flow-runs?flowName=kids");
    assert.ok(plain.body.every((r) => r.hasChildren === undefined), "only when asked");
    const bad = await server.api<{ error: { message: string } }>("GET", "/api/flow-runs?withChildren=yes");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /withChildren/);
  });
});
