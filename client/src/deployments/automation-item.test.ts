import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AutomationRecord } from "../../../runtime/src/orchestrator/contract.js";
import { actionInWords, automationInWords, automationItem, clockTime, triggerInWords } from "./automation-item.js";

// The seed's automation (examples/downstream-flow.ts) as the server records it.
const seed: AutomationRecord = {
  id: "a1",
  name: "downstream-after-upstream",
  trigger: { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "downstream-flow/downstream-processing", parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" } }],
  enabled: true,
  createdAt: "2026-11-26T09:00:00Z",
  updatedAt: "2026-11-26T09:00:00Z",
};

describe("automationInWords", () => {
  it("says what the seed's automation links", () => {
    assert.equal(automationInWords(seed), "upstream-flow Completed → run downstream-flow/downstream-processing");
  });

  it("reads every trigger kind", () => {
    assert.equal(triggerInWords({ type: "flow-run-state-change", match: { deployment: ["a/x", "b/y"], tags: ["etl"] }, expect: ["Failed", "Crashed"] }), "deployment a/x or b/y tagged etl Failed or Crashed");
    assert.equal(triggerInWords({ type: "event", match: { event: "order.placed" }, threshold: 3, within: 60 }), "event order.placed ×3 within 60 s");
    assert.equal(triggerInWords({ type: "event", expect: ["heartbeat"], posture: "Proactive", within: 300 }), "no event heartbeat within 300 s");
    assert.equal(
      triggerInWords({ type: "compound", require: "all", triggers: [{ type: "flow-run-state-change", match: { flow: "a" }, expect: ["Completed"] }, { type: "event", match: { event: "x" } }] }),
      "all of (a Completed; event x)",
    );
    assert.equal(triggerInWords({ type: "sequence", triggers: [{ type: "event", match: { event: "x" } }, { type: "event", match: { event: "y" } }], within: 10 }), "event x then event y within 10 s");
    assert.equal(triggerInWords({ type: "flow-run-state-change", expect: ["Completed"] }), "any flow Completed");
    assert.equal(triggerInWords("nonsense"), "a custom trigger");
  });

  it("reads every action kind", () => {
    assert.equal(actionInWords({ type: "pause-deployment" }), "pause the run's deployment");
    assert.equal(actionInWords({ type: "resume-deployment", deployment: "a/b" }), "resume a/b");
    assert.equal(actionInWords({ type: "cancel-flow-run" }), "cancel the run");
    assert.equal(actionInWords({ type: "pause-automation", automation: "x" }), "pause automation x");
    assert.equal(actionInWords({ type: "call-webhook", url: "https://hooks.example.com/t/1", method: "PUT" }), "call PUT hooks.example.com");
    assert.equal(automationInWords({ trigger: seed.trigger, actions: [] }), "upstream-flow Completed → nothing");
  });
});

describe("automationItem", () => {
  it("shows an enabled automation with the zap icon and what it links", () => {
    const item = automationItem(seed);
    assert.equal(item.label, "downstream-after-upstream");
    assert.equal(item.description, "enabled · upstream-flow Completed → run downstream-flow/downstream-processing");
    assert.deepEqual(item.icon, { id: "zap" });
    assert.equal(item.contextValue, "automation.enabled");
    assert.ok(item.tooltip.includes('"type": "run-deployment"'), item.tooltip);
  });

  it("shows a paused one with the pause icon, and when it last fired", () => {
    const at = "2026-11-26T10:11:12Z";
    const item = automationItem({ ...seed, enabled: false }, at);
    assert.deepEqual(item.icon, { id: "debug-pause" });
    assert.equal(item.contextValue, "automation.disabled");
    assert.ok(item.description.startsWith("paused · "));
    assert.ok(item.description.endsWith(` · triggered ${clockTime(new Date(at))}`), item.description);
    assert.match(clockTime(new Date(at)), /^\d\d:11:12$/);
  });
});
