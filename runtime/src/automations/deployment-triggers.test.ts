import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DeploymentRecord } from "../orchestrator/contract.js";
import { createAutomationEngine } from "./automation-engine.js";
import { deploymentTriggerAutomations } from "./deployment-triggers.js";
import { flowRunEvent } from "./test-support/events.js";
import { RecordingActions } from "./test-support/recording-actions.js";
import { validateTrigger } from "./validate-trigger.js";

function deployment(name: string, triggers: DeploymentRecord["triggers"], paused = false): DeploymentRecord {
  const at = "2024-01-01T00:00:00.000Z";
  return { id: `d-${name}`, name, flowName: name.split("/")[0]!, entrypoint: "f.ts:f", workDir: "/w", schedules: [], parameters: {}, tags: [], paused, triggers, createdAt: at, updatedAt: at };
}

describe("deployment triggers", () => {
  it("each trigger becomes an automation that runs its deployment; a paused deployment's are disabled", async () => {
    const records = deploymentTriggerAutomations([
      deployment("report/after-etl", [{ type: "flow-run-state-change", match: { flow: "etl" }, expect: ["Completed"] }]),
      deployment("report/paused", [{ type: "flow-run-state-change", match: { flow: "etl" }, expect: ["Completed"] }], true),
      deployment("cleanup/main", [
        { type: "event", expect: ["acme.disk.full"] },
        { type: "flow-run-state-change", match: { flow: "etl" }, expect: ["Failed"] },
      ]),
    ]);
    assert.deepEqual(records.map((r) => [r.name, r.enabled]), [
      ["report/after-etl (trigger)", true],
      ["report/paused (trigger)", false],
      ["cleanup/main (trigger 1)", true],
      ["cleanup/main (trigger 2)", true],
    ]);
    const actions = new RecordingActions();
    const engine = createAutomationEngine({ actions });
    engine.setAutomations(records);
    await engine.handleEvent(flowRunEvent("etl", "Completed", { id: "etl-1" }));
    await engine.handleEvent(flowRunEvent("etl", "Failed", { id: "etl-2" }));
    assert.deepEqual(
      actions.effects.map((c) => (c.method === "runDeployment" ? [c.deployment, c.chain.at(-1)?.name] : c.method)),
      [["report/after-etl", "report/after-etl (trigger)"], ["cleanup/main", "cleanup/main (trigger 2)"]],
    );
  });

  it("validateTrigger checks a deployment's trigger with the deployment named in the message", () => {
    assert.throws(
      () => validateTrigger({ type: "flow-run-state-change", expect: ["Finished"] }, 'deployment "report/after-etl"', "triggers[0]"),
      /Expected `triggers\[0\]\.expect\[0\]` to be a state name \(.*\), got `"Finished"` \(string\) — in deployment "report\/after-etl"\./,
    );
  });
});
