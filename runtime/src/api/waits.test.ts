// Waits with states steered by hand (a small contract server in the test), including a stream that
// drops while the awaited run ends. The same waits against the real server: against-server.test.ts.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createTestRuntime, type TestRuntime } from "../engine/test-runtime.js";
import type { FlowRunRecord } from "../store/records.js";
import { runDeployment } from "./run-deployment.js";
import { useServer } from "./test-support/client-env.js";
import { startFakeApiServer, type FakeApiServer } from "./test-support/fake-api-server.js";
import { waitForFlow } from "./wait-for-flow.js";
import { waitForFlowRun } from "./wait-for-flow-run.js";

describe("waitForFlowRun and waitForFlow", () => {
  let server: FakeApiServer;
  let runtime: TestRuntime;
  let restore: () => void;
  const start = (deployment = "upstream-flow/main"): Promise<FlowRunRecord> => runDeployment(deployment, { timeoutSeconds: 0 });
  beforeEach(async () => {
    runtime = createTestRuntime();
    server = await startFakeApiServer({ deployments: [{ name: "upstream-flow/main", parameters: [] }, { name: "other-flow/main", parameters: [] }] });
    restore = useServer(server.url);
  });
  afterEach(async () => {
    restore();
    await server.close();
    await runtime.close();
  });

  it("waitForFlowRun resolves on the event of the run's final state", async () => {
    const run = await start();
    const waiting = waitForFlowRun(run.id);
    await server.nextConnection();
    server.setState(run.id, "Running");
    server.setState(run.id, "Completed", 7);
    const ended = await waiting;
    assert.equal(ended.state.name, "Completed");
    assert.equal(ended.result, 7);
  });

  it("waitForFlowRun returns at once for a run that is already final", async () => {
    const run = await start();
    server.setState(run.id, "Crashed");
    assert.equal((await waitForFlowRun(run.id)).state.name, "Crashed");
  });

  it("waitForFlowRun throws a WaitTimeoutError naming the run's state when time runs out", async () => {
    const run = await start();
    server.setState(run.id, "Running");
    const waiting = waitForFlowRun(run.id, { timeoutSeconds: 5 });
    await runtime.clock.whenSleeping();
    runtime.clock.advance(5_000);
    await assert.rejects(waiting, { name: "WaitTimeoutError", message: `waitForFlowRun: flow run ${run.name} (${run.id}) of "upstream-flow" was still Running after 5 s.` });
  });

  it("waitForFlowRun without timeoutSeconds gives up after the default 10800 s (Prefect's), naming the run and the limit", { timeout: 20_000 }, async () => {
    const run = await start();
    server.setState(run.id, "Running");
    const waiting = waitForFlowRun(run.id);
    await runtime.clock.whenSleeping();
    assert.equal(runtime.clock.sleeps.at(-1), 10_800_000);
    runtime.clock.advance(10_800_000);
    await assert.rejects(waiting, {
      name: "WaitTimeoutError",
      message: `waitForFlowRun: flow run ${run.name} (${run.id}) of "upstream-flow" was still Running after 10800 s (the default timeout; pass timeoutSeconds to wait longer).`,
    });
  });

  it("waitForFlow without timeoutSeconds gives up after the default 10800 s, naming the flow and the limit", { timeout: 20_000 }, async () => {
    const waiting = waitForFlow("upstream-flow");
    await runtime.clock.whenSleeping();
    runtime.clock.advance(10_800_000);
    await assert.rejects(waiting, {
      name: "WaitTimeoutError",
      message: 'waitForFlow: no run of "upstream-flow" entered Completed within 10800 s (the default timeout; pass timeoutSeconds to wait longer).',
    });
  });

  it("waitForFlowRun of an unknown run is a NotFoundError", async () => {
    await assert.rejects(waitForFlowRun("no-such-run"), { name: "NotFoundError", message: 'No flow run with id "no-such-run".' });
  });

  it("a dropped stream is reopened and the state read again, so an end missed meanwhile is seen", async () => {
    const run = await start();
    const checked = server.answered("GET", `/api/flow-runs/${run.id}`);
    const waiting = waitForFlowRun(run.id);
    await checked; // the first read saw the run Scheduled
    const reconnected = server.nextConnection();
    server.dropConnections();
    server.setState(run.id, "Completed"); // published while nobody listens
    await reconnected;
    assert.equal((await waiting).state.name, "Completed");
  });

  it("waitForFlow is woken by the event of a run of that flow entering the state", async () => {
    const upstream = await start();
    const other = await start("other-flow/main");
    const waiting = waitForFlow("upstream-flow");
    await server.nextConnection();
    server.setState(other.id, "Completed");
    server.setState(upstream.id, "Failed");
    server.setState(upstream.id, "Completed", { batchId: "b-9" });
    const run = await waiting;
    assert.equal(run.id, upstream.id);
    assert.deepEqual(run.result, { batchId: "b-9" });
  });

  it("waitForFlow takes a list of states, and finds a run that got there after `after` but before the call", async () => {
    const upstream = await start();
    const before = new Date(Date.now() - 60_000);
    server.setState(upstream.id, "Crashed");
    const run = await waitForFlow("upstream-flow", { state: ["Failed", "Crashed"], after: before });
    assert.equal(run.id, upstream.id);
    const later = waitForFlow("upstream-flow", { state: "Crashed", after: new Date(Date.now() + 60_000), timeoutSeconds: 1 });
    await runtime.clock.whenSleeping();
    runtime.clock.advance(1_000);
    await assert.rejects(later, { name: "WaitTimeoutError" }, "a run that got there before `after` does not count");
  });

  it("waitForFlow throws a WaitTimeoutError when no run gets there in time", async () => {
    const waiting = waitForFlow("upstream-flow", { timeoutSeconds: 60 });
    await runtime.clock.whenSleeping();
    runtime.clock.advance(60_000);
    await assert.rejects(waiting, { name: "WaitTimeoutError", message: 'waitForFlow: no run of "upstream-flow" entered Completed within 60 s.' });
    await assert.rejects(waitForFlow("upstream-flow", { state: "Done" as "Completed" }), /Expected `state` to be a state name/);
  });
});
