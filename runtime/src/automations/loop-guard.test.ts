import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CausalLink, TributaryEvent } from "../orchestrator/contract.js";
import { createAutomationEngine } from "./automation-engine.js";
import { automationRecord, customEvent, flowRunEvent } from "./test-support/events.js";
import { RecordingActions, type RecordedCall } from "./test-support/recording-actions.js";

/** What the server does when the port runs a deployment: the run's chain gets the deployment and the run. */
function completedRunOf(call: RecordedCall, n: number): TributaryEvent {
  assert.equal(call.method, "runDeployment");
  if (call.method !== "runDeployment") throw new Error("unreachable");
  const flowName = call.deployment.split("/")[0]!;
  const id = `run-${n}`;
  const chain: CausalLink[] = [...call.chain, { kind: "deployment", id: `dep-${call.deployment}`, name: call.deployment }, { kind: "flow-run", id, name: flowName }];
  return flowRunEvent(flowName, "Completed", { id, deploymentName: call.deployment, chain });
}

describe("runtime loop guard", () => {
  it("A → B → A …: the run that would visit a deployment a 4th time is refused, with an event and a log line", async () => {
    const actions = new RecordingActions();
    const engine = createAutomationEngine({ actions });
    engine.setAutomations([
      automationRecord("a-then-b", { type: "flow-run-state-change", match: { flow: "a" }, expect: ["Completed"] }, [{ type: "run-deployment", deployment: "b/main" }]),
      automationRecord("b-then-a", { type: "flow-run-state-change", match: { flow: "b" }, expect: ["Completed"] }, [{ type: "run-deployment", deployment: "a/main" }]),
    ]);
    let event = completedRunOf({ method: "runDeployment", deployment: "a/main", parameters: {}, chain: [] }, 0);
    const ran: string[] = ["a/main"];
    for (let n = 1; n < 20; n++) {
      const before = actions.calls.length;
      await engine.handleEvent(event);
      const run = actions.calls.slice(before).find((c) => c.method === "runDeployment");
      if (run === undefined) break;
      ran.push(run.method === "runDeployment" ? run.deployment : "?");
      event = completedRunOf(run, n);
    }
    assert.deepEqual(ran, ["a/main", "b/main", "a/main", "b/main", "a/main", "b/main"], "each deployment runs 3 times");
    const refused = actions.calls.find((c) => c.method === "emitEvent" && c.event.event === "tributary.automation.refused");
    assert.ok(refused?.method === "emitEvent");
    assert.equal(refused.event.resource.name, "b-then-a");
    assert.equal(refused.event.payload.deployment, "a/main");
    assert.match(
      String(refused.event.payload.reason),
      /^Automation "b-then-a" did not run deployment "a\/main": the chain that led here \(deployment a\/main → flow-run a → automation a-then-b → deployment b\/main → .*\) already ran it 3 times, and the limit is 3\./,
    );
    assert.deepEqual(actions.logs.map((l) => l.level), ["warning"]);
    assert.equal(actions.logs[0]!.message, refused.event.payload.reason);
  });

  it("maxChainRepeats is configurable", async () => {
    const actions = new RecordingActions();
    const engine = createAutomationEngine({ actions, maxChainRepeats: 1 });
    engine.setAutomations([automationRecord("again", { type: "flow-run-state-change", expect: ["Completed"] }, [{ type: "run-deployment", deployment: "a/main" }])]);
    await engine.handleEvent(flowRunEvent("a", "Completed", { chain: [{ kind: "deployment", id: "d", name: "a/main" }] }));
    assert.equal(actions.calls.filter((c) => c.method === "runDeployment").length, 0);
    assert.throws(() => createAutomationEngine({ actions, maxChainRepeats: 0 }), /Expected `maxChainRepeats` to be a positive integer, got `0`/);
  });

  it("an automation triggered by its own events stops after maxChainRepeats, logging why", async () => {
    const actions = new RecordingActions();
    const engine = createAutomationEngine({ actions });
    engine.setAutomations([automationRecord("echo", { type: "event", match: { event: "*" } }, [{ type: "pause-automation", automation: "other" }])]);
    // Feed back what the engine emits, as the server's event stream would.
    let next: TributaryEvent | undefined = customEvent("acme.start");
    let rounds = 0;
    while (next !== undefined && rounds++ < 20) {
      const before = actions.calls.length;
      await engine.handleEvent(next);
      const emitted = actions.calls.slice(before).find((c) => c.method === "emitEvent");
      next = emitted?.method === "emitEvent" ? { id: `e${rounds}`, occurred: "2024-01-01T00:00:00Z", ...emitted.event } : undefined;
    }
    assert.equal(actions.calls.filter((c) => c.method === "pauseAutomation").length, 3);
    assert.match(actions.logs.at(-1)!.message, /^Automation "echo" did not act: it is already 3 times in the chain that led here/);
  });
});
