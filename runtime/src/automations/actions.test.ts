import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import type { AutomationAction } from "./action-types.js";
import { createAutomationEngine } from "./automation-engine.js";
import { automationRecord, flowRunEvent } from "./test-support/events.js";
import { RecordingActions } from "./test-support/recording-actions.js";

async function runActions(actions: AutomationAction[], event = flowRunEvent("upstream-flow", "Completed", { id: "run-42", deploymentName: "upstream-flow/nightly", result: { batchId: "b-7", rows: 12 }, parameters: { region: "eu" } })) {
  const port = new RecordingActions();
  const engine = createAutomationEngine({ actions: port });
  engine.setAutomations([automationRecord("after-upstream", { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] }, actions)]);
  await engine.handleEvent(event);
  return port;
}

describe("actions", () => {
  it("run-deployment fills its parameters from the run and the event, keeping the type of whole templates", async () => {
    const port = await runActions([
      {
        type: "run-deployment",
        deployment: "downstream-flow/processing",
        parameters: {
          upstreamBatchId: "{{ flowRun.result.batchId }}",
          rows: "{{ flowRun.result.rows }}",
          region: "{{ flowRun.parameters.region }}",
          note: "after {{ flowRun.flowName }} ({{ event.event }})",
          fixed: [1, true],
        },
      },
    ]);
    const [triggered, run] = port.calls;
    assert.equal(triggered?.method === "emitEvent" && triggered.event.event, "tributary.automation.triggered");
    assert.deepEqual(run, {
      method: "runDeployment",
      deployment: "downstream-flow/processing",
      parameters: { upstreamBatchId: "b-7", rows: 12, region: "eu", note: "after upstream-flow (tributary.flow-run.Completed)", fixed: [1, true] },
      chain: [
        { kind: "flow-run", id: "run-42", name: "upstream-flow" },
        { kind: "automation", id: "id-after-upstream", name: "after-upstream" },
      ],
    });
  });

  it("pause and resume a deployment: the named one, or the triggering run's", async () => {
    const port = await runActions([{ type: "pause-deployment" }, { type: "resume-deployment", deployment: "other-flow/weekly" }]);
    assert.deepEqual(port.effects, [
      { method: "pauseDeployment", deployment: "upstream-flow/nightly" },
      { method: "resumeDeployment", deployment: "other-flow/weekly" },
    ]);
  });

  it("cancel-flow-run: the triggering run, or a templated id", async () => {
    const port = await runActions([{ type: "cancel-flow-run" }, { type: "cancel-flow-run", flowRunId: "{{ flowRun.result.batchId }}" }]);
    assert.deepEqual(port.effects, [
      { method: "cancelFlowRun", flowRunId: "run-42" },
      { method: "cancelFlowRun", flowRunId: "b-7" },
    ]);
  });

  it("pause and resume an automation: itself by default, or the named one", async () => {
    const port = await runActions([{ type: "pause-automation" }, { type: "resume-automation", automation: "page-on-failure" }]);
    assert.deepEqual(port.effects, [
      { method: "pauseAutomation", automation: "after-upstream" },
      { method: "resumeAutomation", automation: "page-on-failure" },
    ]);
  });

  it("call-webhook sends the templated request with fetch", async () => {
    const requests: { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        requests.push({ method: request.method, url: request.url, headers: request.headers, body });
        response.writeHead(request.url?.startsWith("/fail") ? 500 : 204).end();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const port = await runActions([
        { type: "call-webhook", url: `${base}/hooks/{{ flowRun.flowName }}`, headers: { "X-Run": "{{ flowRun.id }}" }, body: { batch: "{{ flowRun.result.batchId }}", rows: "{{ flowRun.result.rows }}" } },
        { type: "call-webhook", url: `${base}/fail`, method: "PUT", body: "plain {{ flowRun.result.rows }}" },
        { type: "pause-automation" },
      ]);
      assert.equal(requests.length, 2);
      assert.equal(requests[0]!.method, "POST");
      assert.equal(requests[0]!.url, "/hooks/upstream-flow");
      assert.equal(requests[0]!.headers["x-run"], "run-42");
      assert.equal(requests[0]!.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(requests[0]!.body), { batch: "b-7", rows: 12 });
      assert.equal(requests[1]!.method, "PUT");
      assert.equal(requests[1]!.body, "plain 12");
      assert.match(port.logs[0]!.message, /^Automation "after-upstream" could not perform its action 2 \(call-webhook\): the webhook PUT http:\/\/127\.0\.0\.1:\d+\/fail answered 500/);
      assert.deepEqual(port.effects, [{ method: "pauseAutomation", automation: "after-upstream" }], "a failed action does not stop the next");
    } finally {
      server.close();
    }
  });

  it("an action that needs a target the event does not give is logged, not performed", async () => {
    const port = await runActions([{ type: "pause-deployment" }], flowRunEvent("upstream-flow", "Completed"));
    assert.deepEqual(port.effects, []);
    assert.match(port.logs[0]!.message, /could not perform its action 1 \(pause-deployment\): no deployment was named and the triggering event is not about one/);
  });
});

describe("a port that fails", () => {
  it("an event that cannot be published is logged and the actions still run", async () => {
    const port = new RecordingActions();
    port.emitEvent = () => Promise.reject(new Error("the event store is down"));
    const engine = createAutomationEngine({ actions: port });
    engine.setAutomations([automationRecord("a", { type: "flow-run-state-change", expect: ["Completed"] }, [{ type: "cancel-flow-run" }])]);
    await engine.handleEvent(flowRunEvent("f", "Completed", { id: "r-1" }));
    assert.deepEqual(port.effects, [{ method: "cancelFlowRun", flowRunId: "r-1" }]);
    assert.deepEqual(port.logs, [{ level: "error", message: "Automation engine: the event store is down" }]);
  });
});
