// How the client finds and reaches the server: the token, a server that is not there, bad options.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { createTestRuntime, type TestRuntime } from "../engine/test-runtime.js";
import { ServerWorkspace, type TestServer } from "../orchestrator/test-support/server-harness.js";
import { emitEvent } from "./emit-event.js";
import { readFlowRuns } from "./read-flow-runs.js";
import { runDeployment } from "./run-deployment.js";
import { useServer } from "./test-support/client-env.js";
import { waitForFlow } from "./wait-for-flow.js";
import { waitForFlowRun } from "./wait-for-flow-run.js";

describe("reaching the server", () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  let runtime: TestRuntime;
  let restore: () => void;
  before(async () => {
    server = await workspace.start({ scheduler: false, token: "s3cret" });
    await server.register([{ name: "add/default", export: "add", parameters: { a: 10 } }]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });
  beforeEach(() => {
    runtime = createTestRuntime();
    restore = useServer(server.url, "s3cret");
  });
  afterEach(async () => {
    restore();
    await runtime.close();
  });

  it("sends TRIBUTARY_API_TOKEN with every request and on the event stream", async () => {
    const run = await runDeployment("add/default", { parameters: { b: 1 } });
    assert.equal(run.result, 11);
    assert.deepEqual((await readFlowRuns({ flowName: "add", limit: 1 })).map((r) => r.id), [run.id]);
  });

  it("without the token, requests and the stream are refused with a message that says to set it", async () => {
    useServer(server.url);
    await assert.rejects(readFlowRuns(), { name: "UnauthorizedError", message: /refused the request: .* \(set TRIBUTARY_API_TOKEN to the server's token\)\./ });
    await assert.rejects(waitForFlow("add"), { name: "UnauthorizedError", message: /refused the event stream \(401\): set TRIBUTARY_API_TOKEN/ });
    await assert.rejects(runDeployment("add/default"), { name: "UnauthorizedError" });
  });

  it("without TRIBUTARY_API_URL every call says how to get a server", async () => {
    useServer(undefined);
    for (const call of [() => runDeployment("add/default"), () => waitForFlowRun("x"), () => waitForFlow("add"), () => readFlowRuns(), () => emitEvent("a.b", "x")]) {
      await assert.rejects(call(), { name: "NoServerError", message: /needs a Tributary server, and TRIBUTARY_API_URL is not set: start one with `tributary server start`.*or run the flow with `tributary run`/ });
    }
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
    await assert.rejects(waitForFlow("add"), { name: "ServerUnreachableError", message: new RegExp(`^Could not open the event stream of the Tributary server at http://127.0.0.1:${port} \\(.*ECONNREFUSED`) });
  });

  it("bad options are refused before anything is sent, naming the option", async () => {
    await assert.rejects(readFlowRuns({ state: "Done" as "Completed" }), /Expected `state` to be a state name \(Completed, Failed, …\), a state type/);
    await assert.rejects(readFlowRuns({ flow: "add" } as never), /Unknown option `flow` in the options of readFlowRuns/);
    await assert.rejects(emitEvent("", "x"), /Expected `name` to be a non-empty event name/);
    await assert.rejects(emitEvent("a", "x", { when: new Date() as never }), /Expected `payload` to be an object of JSON values/);
    await assert.rejects(waitForFlowRun("x", { timeoutSeconds: -1 }), /Expected `timeoutSeconds` to be a non-negative number, got `-1`/);
    await assert.rejects(runDeployment("add/default", { scheduledTime: "tomorrow" }), /Expected `scheduledTime` to be a Date or an ISO 8601 string, got `"tomorrow"`/);
  });
});
