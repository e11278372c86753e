// The waiting logic of runDeployment with states steered by hand (a small contract server in the
// test), to force what the real server cannot be made to do on cue: a run that ends before the
// creation answer arrives, a timeout while Running. The same calls against the real server:
// against-server.test.ts.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { createTestRuntime, type TestRuntime } from "../engine/test-runtime.js";
import { runFlowEntrypoint } from "../engine/entrypoint.js";
import { runDeployment } from "./run-deployment.js";
import { useServer } from "./test-support/client-env.js";
import { startFakeApiServer, type FakeApiServer } from "./test-support/fake-api-server.js";

describe("runDeployment", () => {
  let server: FakeApiServer;
  let runtime: TestRuntime;
  let restore: () => void;
  beforeEach(async () => {
    runtime = createTestRuntime();
    server = await startFakeApiServer({ deployments: [{ name: "downstream-flow/processing", parameters: ["batchId", "rows"] }] });
    restore = useServer(server.url);
  });
  afterEach(async () => {
    restore();
    await server.close();
    await runtime.close();
  });

  it("says how to get a server when none is configured", async () => {
    useServer(undefined);
    await assert.rejects(runDeployment("downstream-flow/processing"), {
      name: "NoServerError",
      code: "NO_SERVER",
      message: /^runDeployment needs a Tributary server, and TRIBUTARY_API_URL is not set: start one with `tributary server start`.*or run the flow with `tributary run`/,
    });
  });

  it("names an unknown deployment, and a parameter the flow does not take", async () => {
    await assert.rejects(runDeployment("downstream-flow/nope", { timeoutSeconds: 0 }), {
      name: "NotFoundError",
      message: /^runDeployment: the server at http:\/\/127\.0\.0\.1:\d+ has no deployment "downstream-flow\/nope" \(No deployment named "downstream-flow\/nope"\.\) — register it with `tributary deploy <file>`\.$/,
    });
    await assert.rejects(runDeployment("downstream-flow/processing", { parameters: { batch: "x" } }), {
      name: "InvalidParametersError",
      message: 'Parameter "batch" is not a parameter of flow "downstream-flow".',
    });
    await assert.rejects(runDeployment("processing"), /Expected `name` to be a deployment name "<flow-name>\/<deployment name>", got `"processing"`/);
    await assert.rejects(runDeployment("a/b", { timeoutSeconds: -1 }), /Expected `timeoutSeconds` to be a non-negative number, got `-1`/);
  });

  it("timeoutSeconds: 0 returns the new run at once, with what was asked", async () => {
    const when = new Date("2030-01-01T00:00:00Z");
    const run = await runDeployment("downstream-flow/processing", {
      parameters: { batchId: "b-1" },
      timeoutSeconds: 0,
      tags: ["backfill"],
      flowRunName: "first",
      scheduledTime: when,
    });
    assert.equal(run.state.name, "Scheduled");
    assert.deepEqual(server.requests.at(-1)?.body, { parameters: { batchId: "b-1" }, tags: ["backfill"], flowRunName: "first", scheduledTime: when.toISOString() });
    assert.equal(server.connections(), 0, "fire and forget opens no stream");
  });

  it("without timeoutSeconds waits until the run is final, and does not throw when it failed", async () => {
    server.onRunCreated = (run) => void Promise.resolve().then(() => server.setState(run.id, "Running"));
    const running = runDeployment("downstream-flow/processing", { parameters: { batchId: "b-2" } });
    const created = await server.nextRun();
    server.setState(created.id, "Failed");
    const run = await running;
    assert.equal(run.id, created.id);
    assert.equal(run.state.name, "Failed");
    await server.whenNoConnections(); // the stream closes after the last wait
  });

  it("sees a run that ended before the creation answer arrived", async () => {
    server.onRunCreated = (run) => server.setState(run.id, "Completed", { ok: true });
    const run = await runDeployment("downstream-flow/processing");
    assert.equal(run.state.name, "Completed");
    assert.deepEqual(run.result, { ok: true });
  });

  it("timeoutSeconds: n stops waiting after n seconds (runtime clock) and returns the run as it stands", async () => {
    const waiting = runDeployment("downstream-flow/processing", { timeoutSeconds: 30 });
    const created = await server.nextRun();
    server.setState(created.id, "Running");
    await runtime.clock.whenSleeping();
    assert.deepEqual(runtime.clock.sleeps, [30_000]);
    runtime.clock.advance(30_000);
    const run = await waiting;
    assert.equal(run.state.name, "Running");
  });

  it("an idempotency key gives back the run the first call created", async () => {
    const first = await runDeployment("downstream-flow/processing", { idempotencyKey: "k-1", timeoutSeconds: 0 });
    const second = await runDeployment("downstream-flow/processing", { idempotencyKey: "k-1", timeoutSeconds: 0 });
    const other = await runDeployment("downstream-flow/processing", { idempotencyKey: "k-2", timeoutSeconds: 0 });
    assert.equal(second.id, first.id);
    assert.notEqual(other.id, first.id);
    assert.equal(server.runs.size, 2);
  });

  it("a caller that is cancelled stops waiting, and the stream closes", async () => {
    const controller = new AbortController();
    const caller = flow("waiting-caller", async () => runDeployment("downstream-flow/processing"));
    const outcome = runFlowEntrypoint(caller, {}, { signal: controller.signal });
    const child = await server.nextRun();
    controller.abort();
    const record = await outcome;
    assert.equal(record.state.name, "Cancelled");
    assert.equal(server.runs.get(child.id)?.state.name, "Scheduled", "the child is not the caller's to cancel");
    await server.whenNoConnections();
  });

  it("inside a flow: linked to the calling run (asSubflow), and the chain goes along either way", async () => {
    const caller = flow("caller-flow", async () => {
      const linked = await runDeployment("downstream-flow/processing", { timeoutSeconds: 0 });
      const unlinked = await runDeployment("downstream-flow/processing", { timeoutSeconds: 0, asSubflow: false });
      return [linked.id, unlinked.id];
    });
    const state = await caller.withOptions({ returnState: true })();
    assert.equal(state.type, "COMPLETED", state.message);
    const [linkedId, unlinkedId] = state.result!;
    const linked = server.runs.get(linkedId!)!;
    const unlinked = server.runs.get(unlinkedId!)!;
    assert.equal(linked.parentFlowRunId, state.flowRunId);
    assert.equal(unlinked.parentFlowRunId, undefined);
    const callerLink = { kind: "flow-run", id: state.flowRunId, name: "caller-flow" };
    assert.deepEqual(linked.chain.slice(0, 1), [callerLink]);
    assert.deepEqual(unlinked.chain.slice(0, 1), [callerLink]);
  });

  it("inside a deployment run: passes on the chain the server put on the run", async () => {
    server.runs.set("outer", {
      id: "outer", name: "outer", flowName: "caller-flow", state: runtimeState(), parameters: {}, tags: [], runCount: 1, createdAt: "2024-01-01T00:00:00Z",
      deploymentName: "caller-flow/main", chain: [{ kind: "automation", id: "a1", name: "kick" }, { kind: "deployment", id: "d1", name: "caller-flow/main" }, { kind: "flow-run", id: "outer", name: "caller-flow" }],
    });
    const caller = flow("caller-flow", async () => (await runDeployment("downstream-flow/processing", { timeoutSeconds: 0 })).id);
    // The engine runs the flow with the id the server gave the deployment run.
    const record = await runFlowEntrypoint(caller, {}, { flowRunId: "outer" });
    assert.equal(record.state.name, "Completed", record.state.message);
    const childId = record.result as string;
    const child = server.runs.get(childId)!;
    assert.deepEqual(child.chain.map((l) => `${l.kind}:${l.name}`), ["automation:kick", "deployment:caller-flow/main", "flow-run:caller-flow", "deployment:downstream-flow/processing", "flow-run:downstream-flow"]);
  });
});

function runtimeState() {
  return { type: "RUNNING" as const, name: "Running" as const, timestamp: "2024-01-01T00:00:00.000Z" };
}
