import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../engine/manual-clock.js";
import { createAutomationEngine } from "./automation-engine.js";
import { automationRecord, flowRunEvent } from "./test-support/events.js";
import { RecordingActions } from "./test-support/recording-actions.js";
import type { Trigger } from "./trigger-types.js";

function engineWith(trigger: Trigger) {
  const actions = new RecordingActions();
  const engine = createAutomationEngine({ actions, clock: new ManualClock() });
  engine.setAutomations([automationRecord("a", trigger, [{ type: "pause-deployment", deployment: "x/y" }])]);
  return { actions, engine, fired: () => actions.effects.length };
}

describe("flow-run-state-change trigger", () => {
  it("fires on an expected state of a matching flow, once per event", async () => {
    const { engine, fired, actions } = engineWith({ type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] });
    await engine.handleEvent(flowRunEvent("upstream-flow", "Running"));
    await engine.handleEvent(flowRunEvent("other-flow", "Completed"));
    assert.equal(fired(), 0);
    await engine.handleEvent(flowRunEvent("upstream-flow", "Completed"));
    await engine.handleEvent(flowRunEvent("upstream-flow", "Completed"));
    assert.equal(fired(), 2);
    const triggered = actions.calls.find((c) => c.method === "emitEvent");
    assert.equal(triggered?.method === "emitEvent" && triggered.event.event, "tributary.automation.triggered");
  });

  it("matches deployment, tags (all of them) and wildcards; several expected states", async () => {
    const { engine, fired } = engineWith({
      type: "flow-run-state-change",
      match: { flow: "etl-*", deployment: ["etl-orders/nightly", "etl-orders/hourly"], tags: ["prod", "eu"] },
      expect: ["Failed", "Crashed"],
    });
    await engine.handleEvent(flowRunEvent("etl-orders", "Failed", { deploymentName: "etl-orders/nightly", tags: ["prod"] }));
    await engine.handleEvent(flowRunEvent("etl-orders", "Failed", { deploymentName: "etl-orders/weekly", tags: ["prod", "eu"] }));
    await engine.handleEvent(flowRunEvent("etl-orders", "Completed", { deploymentName: "etl-orders/nightly", tags: ["prod", "eu"] }));
    assert.equal(fired(), 0);
    await engine.handleEvent(flowRunEvent("etl-orders", "Crashed", { deploymentName: "etl-orders/hourly", tags: ["eu", "prod", "x"] }));
    assert.equal(fired(), 1);
  });

  it("is dropped when disabled and keeps acting after an unchanged reload", async () => {
    const actions = new RecordingActions();
    const engine = createAutomationEngine({ actions, clock: new ManualClock() });
    const trigger: Trigger = { type: "flow-run-state-change", expect: ["Completed"] };
    const act = [{ type: "pause-deployment", deployment: "x/y" }] as const;
    engine.setAutomations([automationRecord("a", trigger, [...act], false)]);
    await engine.handleEvent(flowRunEvent("f", "Completed"));
    assert.equal(actions.effects.length, 0);
    engine.setAutomations([automationRecord("a", trigger, [...act])]);
    engine.setAutomations([automationRecord("a", trigger, [...act])]);
    await engine.handleEvent(flowRunEvent("f", "Completed"));
    assert.equal(actions.effects.length, 1);
  });

  it("skips a stored automation that is not valid, saying why", async () => {
    const actions = new RecordingActions();
    const engine = createAutomationEngine({ actions });
    engine.setAutomations([automationRecord("broken", { type: "flow-run-state-change", expect: ["Done" as "Completed"] }, [{ type: "cancel-flow-run" }])]);
    await engine.handleEvent(flowRunEvent("f", "Completed"));
    assert.equal(actions.calls.length, 0);
    assert.match(actions.logs[0]!.message, /Skipping automation "broken": Expected `trigger\.expect\[0\]` to be a state name/);
  });
});
