// The client API against the real orchestration server (startServer with its worker), in this process.
import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import path from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { createTestRuntime, type TestRuntime } from "../engine/test-runtime.js";
import { repoRoot, ServerWorkspace, type TestServer } from "../orchestrator/test-support/server-harness.js";
import type { FlowRunRecord } from "../store/records.js";
import { emitEvent } from "./emit-event.js";
import { readFlowRuns } from "./read-flow-runs.js";
import { runDeployment } from "./run-deployment.js";
import { useServer } from "./test-support/client-env.js";
import { waitForFlow } from "./wait-for-flow.js";
import { waitForFlowRun } from "./wait-for-flow-run.js";

describe("the client against the real server", () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  let runtime: TestRuntime;
  let restore: () => void;
  before(async () => {
    cpSync(path.join(repoRoot, "test-fixtures/client"), workspace.dir, { recursive: true });
    server = await workspace.start({ scheduler: false });
    await server.subscribe();
    await server.register([
      { name: "add/default", export: "add", parameters: { a: 10 }, tags: ["math"] },
      {
        name: "add/checked",
        export: "add",
        parameterSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, additionalProperties: false },
      },
      { name: "hang/main", export: "hang" },
    ]);
    const registered = await server.api("POST", "/api/deployments", {
      deployments: [{ name: "caller/main", flowName: "caller", entrypoint: "client-flows.ts:caller", workDir: server.workDir }],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });
  beforeEach(() => {
    runtime = createTestRuntime();
    restore = useServer(server.url, server.token);
  });
  afterEach(async () => {
    restore();
    await runtime.close();
  });

  /** The run named so, once it is Running. */
  const runningRun = async (name: string) =>
    (await server.waitForEvent((e) => e.event === "tributary.flow-run.Running" && e.resource.name === name)).payload.flowRun as unknown as FlowRunRecord;
  const cancel = (run: FlowRunRecord) => server.api("POST", `/api/flow-runs/${run.id}/cancel`);

  it("timeoutSeconds: 0 returns the Scheduled run at once; absent waits until Completed", async () => {
    const started = await runDeployment("add/default", { parameters: { b: 5 }, timeoutSeconds: 0 });
    assert.equal(started.state.name, "Scheduled");
    const finished = await runDeployment("add/default", { parameters: { b: 7 } });
    assert.equal(finished.state.name, "Completed");
    assert.equal(finished.result, 17);
    assert.equal((await waitForFlowRun(started.id)).result, 15);
  });

  it("timeoutSeconds: n returns the run as it stands after n seconds of the runtime clock", async () => {
    const waiting = runDeployment("hang/main", { timeoutSeconds: 2, flowRunName: "hang-timeout" });
    await runtime.clock.whenSleeping();
    const started = await runningRun("hang-timeout");
    runtime.clock.advance(2_000);
    const run = await waiting;
    assert.equal(run.id, started.id);
    assert.equal(run.state.name, "Running");
    await cancel(run);
  });

  it("a child that does not complete does not throw: the caller reads its state", async () => {
    const waiting = runDeployment("hang/main", { flowRunName: "hang-cancelled" });
    await cancel(await runningRun("hang-cancelled"));
    const run = await waiting;
    assert.equal(run.state.name, "Cancelled");
  });

  it("an idempotency key returns the run the first call made", async () => {
    const first = await runDeployment("add/default", { idempotencyKey: "client-k1", timeoutSeconds: 0 });
    const second = await runDeployment("add/default", { idempotencyKey: "client-k1" });
    assert.equal(second.id, first.id);
    assert.equal(second.state.name, "Completed");
  });

  it("names an unknown deployment and a bad parameter with the server's words", async () => {
    await assert.rejects(runDeployment("add/defualt"), { name: "NotFoundError", message: /has no deployment "add\/defualt" \(No deployment named "add\/defualt"\. Did you mean "add\/default"\?\)/ });
    await assert.rejects(runDeployment("add/checked", { parameters: { c: 1 } }), (error: Error) => {
      assert.equal(error.name, "InvalidParametersError");
      assert.match(error.message, /\bc\b/);
      return true;
    });
  });

  it("waitForFlow is woken by the event of a run of the flow completing", async () => {
    const waiting = waitForFlow("add", { timeoutSeconds: 600 });
    await runtime.clock.whenSleeping(); // the wait has started its clock; the stream is opening
    const started = await runDeployment("add/default", { parameters: { b: 100 }, timeoutSeconds: 0 });
    const run = await waiting;
    assert.equal(run.id, started.id);
    assert.equal(run.result, 110);
  });

  it("readFlowRuns filters by flow, deployment, state, tags and limit", async () => {
    const done = await runDeployment("add/checked", { parameters: { a: 1, b: 1 }, tags: ["client-filter"] });
    assert.equal(done.state.name, "Completed");
    const byTag = await readFlowRuns({ tags: ["client-filter"] });
    assert.deepEqual(byTag.map((r) => r.id), [done.id]);
    const byDeployment = await readFlowRuns({ deploymentName: "add/checked", state: "COMPLETED", limit: 1 });
    assert.deepEqual(byDeployment.map((r) => r.id), [done.id]);
    const completedAdds = await readFlowRuns({ flowName: "add", state: ["Completed", "Cached"], sort: "created-asc" });
    assert.ok(completedAdds.length >= 2);
    assert.ok(completedAdds.every((r) => r.flowName === "add" && r.state.name === "Completed"));
    assert.ok(completedAdds[0]!.createdAt <= completedAdds.at(-1)!.createdAt);
  });

  it("readFlowRuns filters by start-time range (inclusive), every tag, any tag and deployment; the route refuses bad filters with 400", async () => {
    const r1 = await runDeployment("add/checked", { parameters: { a: 1, b: 0 }, tags: ["window", "red"] });
    const r2 = await runDeployment("add/checked", { parameters: { a: 2, b: 0 }, tags: ["window", "blue"] });
    const r3 = await runDeployment("add/default", { tags: ["window", "red", "blue"] });
    const never = await runDeployment("add/checked", { parameters: { a: 4, b: 0 }, tags: ["window"], scheduledTime: new Date(Date.now() + 3_600_000), timeoutSeconds: 0 });
    const ids = (runs: FlowRunRecord[]) => runs.map((r) => r.id);
    const names = { [r1.id]: "r1", [r2.id]: "r2", [r3.id]: "r3", [never.id]: "never" };
    const read = async (options: Parameters<typeof readFlowRuns>[0]) => ids(await readFlowRuns({ tags: ["window"], sort: "created-asc", ...options })).map((id) => names[id]);
    assert.ok(r1.startTime! < r2.startTime! && r2.startTime! < r3.startTime!);
    assert.deepEqual(await read({ startedAfter: r2.startTime! }), ["r2", "r3"]);
    assert.deepEqual(await read({ startedBefore: new Date(r2.startTime!) }), ["r1", "r2"]);
    assert.deepEqual(await read({ startedAfter: r2.startTime!, startedBefore: r2.startTime! }), ["r2"]);
    assert.deepEqual(await read({ tags: ["window", "red"] }), ["r1", "r3"]);
    assert.deepEqual(await read({ anyTags: ["blue", "nope"] }), ["r2", "r3"]);
    assert.deepEqual(await read({ anyTags: ["red", "blue"], deploymentName: "add/checked" }), ["r1", "r2"]);
    assert.deepEqual(await read({}), ["r1", "r2", "r3", "never"]);

    await assert.rejects(readFlowRuns({ startedAfter: "yesterday" }), { name: "InvalidOptionError", message: /Expected `startedAfter` to be a Date or an ISO 8601 string, got .*yesterday/ });
    for (const query of ["startedAfter=yesterday", "startedBefore=2026-13-45T00:00:00Z", "anyTags="]) {
      const answer = await server.api<{ error: { message: string } }>("GET", `/api/flow-runs?${query}`);
      assert.equal(answer.status, 400, `${query}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error.message, /startedAfter|startedBefore|anyTags/);
    }
  });

  it("a deployment run that runs a deployment links it as a subflow and passes the chain on", async () => {
    const caller = await runDeployment("caller/main", { parameters: { b: 2 } });
    assert.equal(caller.state.name, "Completed", caller.state.message);
    const result = caller.result as { childId: string; childState: string; childResult: number };
    assert.deepEqual([result.childState, result.childResult], ["Completed", 12]);
    const [child] = await readFlowRuns({ parentRunId: caller.id });
    assert.equal(child?.id, result.childId);
    assert.deepEqual(child.chain?.map((l) => `${l.kind}:${l.name}`), ["deployment:caller/main", "flow-run:caller", "deployment:add/default", "flow-run:add"]);
    const done = await server.waitForEvent((e) => e.event === "acme.caller.done" && e.resource.id === `acme.caller.${child.id}`);
    assert.deepEqual(done.chain?.map((l) => l.kind), ["deployment", "flow-run"]);
    assert.deepEqual(done.related?.[0]?.id, `tributary.flow-run.${caller.id}`);
  });

  it("emitEvent publishes on the server's stream", async () => {
    const stored = await emitEvent("acme.client.ping", { id: "acme.client", region: "eu" }, { n: 1 });
    const seen = await server.waitForEvent((e) => e.id === stored.id);
    assert.deepEqual([seen.event, seen.resource, seen.payload], ["acme.client.ping", { id: "acme.client", region: "eu" }, { n: 1 }]);
  });

  it("the server's automation engine: a templated run-deployment keeps the result's type, and the loop guard stops the chain", async () => {
    const registered = await server.api("POST", "/api/automations", {
      automations: [
        {
          name: "add-again",
          trigger: { type: "flow-run-state-change", match: { deployment: "add/checked" }, expect: ["Completed"] },
          actions: [{ type: "run-deployment", deployment: "add/checked", parameters: { a: "{{ flowRun.result }}", b: 1 } }],
        },
      ],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    try {
      const first = await runDeployment("add/checked", { parameters: { a: 100, b: 1 }, tags: ["loop"] });
      const refused = await server.waitForEvent((e) => e.event === "tributary.automation.refused" && e.resource.name === "add-again");
      assert.match(String(refused.payload.reason), /did not run deployment "add\/checked": .* already ran it 3 times, and the limit is 3/);
      // Three runs in the chain: 100+1, then 101+1 and 102+1 started by the automation with a number for `a`.
      const chainRuns = (await readFlowRuns({ deploymentName: "add/checked", sort: "created-asc" })).filter((r) => r.createdAt >= first.createdAt);
      assert.deepEqual(chainRuns.map((r) => [r.parameters.a, r.result]), [[100, 101], [101, 102], [102, 103]]);
      assert.equal(chainRuns[2]!.state.name, "Completed");
    } finally {
      await server.api("POST", "/api/automations/add-again/pause");
    }
  });
});
