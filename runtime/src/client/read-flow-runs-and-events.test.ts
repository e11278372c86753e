import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { createTestRuntime, type TestRuntime } from "../engine/test-runtime.js";
import { emitEvent } from "./emit-event.js";
import { readFlowRuns } from "./read-flow-runs.js";
import { runDeployment } from "./run-deployment.js";
import { waitForFlow } from "./wait-for-flow.js";
import { useServer } from "./test-support/client-env.js";
import { startFakeApiServer, type FakeApiServer } from "./test-support/fake-api-server.js";

describe("readFlowRuns, emitEvent and the token", () => {
  let server: FakeApiServer;
  let runtime: TestRuntime;
  let restore: () => void;
  beforeEach(async () => {
    runtime = createTestRuntime();
    server = await startFakeApiServer({ deployments: [{ name: "etl/main", parameters: [] }, { name: "report/main", parameters: [] }], token: "s3cret" });
    restore = useServer(server.url, "s3cret");
  });
  afterEach(async () => {
    restore();
    await server.close();
    await runtime.close();
  });

  it("readFlowRuns passes every filter to the server and merges a list of states", async () => {
    const a = await runDeployment("etl/main", { timeoutSeconds: 0, tags: ["nightly", "eu"] });
    const b = await runDeployment("etl/main", { timeoutSeconds: 0, tags: ["nightly"] });
    const c = await runDeployment("report/main", { timeoutSeconds: 0 });
    server.setState(a.id, "Completed");
    server.setState(b.id, "Failed");
    server.setState(c.id, "Completed");
    assert.deepEqual((await readFlowRuns({ flowName: "etl" })).map((r) => r.id), [b.id, a.id], "newest first");
    assert.deepEqual((await readFlowRuns({ flowName: "etl", sort: "created-asc", limit: 1 })).map((r) => r.id), [a.id]);
    assert.deepEqual((await readFlowRuns({ state: "Completed" })).map((r) => r.id), [c.id, a.id]);
    assert.deepEqual((await readFlowRuns({ state: "FAILED" })).map((r) => r.id), [b.id]);
    assert.deepEqual((await readFlowRuns({ tags: ["nightly", "eu"] })).map((r) => r.id), [a.id]);
    assert.deepEqual((await readFlowRuns({ deploymentName: "report/main" })).map((r) => r.id), [c.id]);
    assert.deepEqual((await readFlowRuns({ flowName: "etl", state: ["Completed", "Failed"], sort: "created-asc" })).map((r) => r.id), [a.id, b.id]);
    const query = server.requests.filter((r) => r.path.startsWith("/api/flow-runs?")).map((r) => r.path);
    assert.ok(query.includes("/api/flow-runs?tags=nightly%2Ceu&sort=created-desc"), query.join("\n"));
    await assert.rejects(readFlowRuns({ state: "Done" as "Completed" }), /Expected `state` to be a state name \(Completed, Failed, …\), a state type/);
    await assert.rejects(readFlowRuns({ flow: "etl" } as never), /Unknown option `flow` in the options of readFlowRuns/);
  });

  it("readFlowRuns by parent run finds the runs a flow started", async () => {
    const parent = flow("parent", async () => (await runDeployment("etl/main", { timeoutSeconds: 0 })).id);
    const state = await parent.withOptions({ returnState: true })();
    const children = await readFlowRuns({ parentRunId: state.flowRunId });
    assert.deepEqual(children.map((r) => r.id), [state.result]);
  });

  it("emitEvent posts the event and returns it as stored; inside a flow it is related to the run and carries its chain", async () => {
    const stored = await emitEvent("acme.batch.ready", "acme.batch.7", { rows: 12 });
    assert.equal(stored.event, "acme.batch.ready");
    assert.deepEqual(stored.resource, { id: "acme.batch.7" });
    assert.equal(typeof stored.id, "string");
    const emitter = flow("emitter", async () => emitEvent("acme.done", { id: "acme.x", region: "eu" }));
    const state = await emitter.withOptions({ returnState: true })();
    const event = state.result!;
    assert.deepEqual(event.resource, { id: "acme.x", region: "eu" });
    assert.deepEqual(event.related, [{ id: `tributary.flow-run.${state.flowRunId}`, name: event.related![0]!.name, flowName: "emitter" }]);
    assert.deepEqual(event.chain, [{ kind: "flow-run", id: state.flowRunId, name: "emitter" }]);
    await assert.rejects(emitEvent("", "x"), /Expected `name` to be a non-empty event name/);
    await assert.rejects(emitEvent("a", "x", { when: new Date() as never }), /Expected `payload` to be an object of JSON values/);
  });

  it("without the server's token, requests are refused with a message that says to set it", async () => {
    useServer(server.url);
    await assert.rejects(readFlowRuns(), { name: "UnauthorizedError", message: /refused the request: This server requires a token\. \(set TRIBUTARY_API_TOKEN/ });
    await assert.rejects(runDeployment("etl/main"), { name: "UnauthorizedError" });
  });

  it("a server that is not there is a ServerUnreachableError", async () => {
    const closed = createServer().listen(0, "127.0.0.1");
    await once(closed, "listening");
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, "close");
    useServer(`http://127.0.0.1:${port}`);
    await assert.rejects(readFlowRuns(), {
      name: "ServerUnreachableError",
      message: `Could not reach the Tributary server at http://127.0.0.1:${port} (ECONNREFUSED): is \`tributary server start\` running there?`,
    });
    await assert.rejects(waitForFlow("etl"), { name: "ServerUnreachableError", message: new RegExp(`^Could not open the event stream of the Tributary server at http://127.0.0.1:${port} \\(.*ECONNREFUSED`) });
  });
});
