// The event stream tells things in the order they happened: a run's state event comes before the
// events it caused (an automation firing on it), read over a real WebSocket from a real server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

describe("the order of events on the stream", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false });
    await server.subscribe();
    await server.register([
      { name: "add/first", export: "add" },
      { name: "add/second", export: "add" },
    ]);
    const registered = await server.api("POST", "/api/automations", {
      automations: [
        {
          name: "second-after-first",
          trigger: { type: "flow-run-state-change", match: { deployment: "add/first" }, expect: ["Completed"] },
          actions: [{ type: "run-deployment", deployment: "add/second" }],
        },
      ],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("a run's Completed comes before the automation.triggered it caused, and that before the run it started", async () => {
    const { body: first } = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("add/first")}/runs`, {});
    const completed = await server.waitForRunState(first.id, "Completed");
    const triggered = await server.waitForEvent((e) => e.event === "tributary.automation.triggered" && e.payload.triggeringEventId === completed.id);
    const started = await server.waitForEvent((e) => e.event === "tributary.flow-run.Scheduled" && e.resource.deploymentName === "add/second");
    const order = [completed, triggered, started].map((event) => server.events.indexOf(event));
    assert.ok(order[0]! < order[1]! && order[1]! < order[2]!, `stream order: ${server.events.map((e) => e.event).join(", ")}`);
  });
});
