import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FlowRunRecord } from "../server/tributary-api.js";
import { RunEndNotices, startingAutomation } from "./run-end-notices.js";

function run(id: string, stateType: string, chain: FlowRunRecord["chain"], extra: Partial<FlowRunRecord> = {}): FlowRunRecord {
  const name = stateType === "RUNNING" ? "Running" : stateType === "COMPLETED" ? "Completed" : "Failed";
  return { id, name: `run-${id}`, flowName: "downstream-flow", state: { type: stateType, name, timestamp: "2026-12-06T08:00:00.000Z" }, parameters: {}, tags: [], runCount: 1, createdAt: "2026-12-06T08:00:00.000Z", ...(chain ? { chain } : {}), ...extra } as FlowRunRecord;
}

const byAutomation: FlowRunRecord["chain"] = [
  { kind: "flow-run", id: "u1", name: "upstream-flow" },
  { kind: "automation", id: "a1", name: "downstream-after-upstream" },
  { kind: "deployment", id: "d1", name: "downstream-flow/downstream-processing" },
  { kind: "flow-run", id: "r1", name: "downstream-flow" },
];

describe("which ended runs are told", () => {
  it("reads the automation that started a run from its chain, and none for a deployment run a person or a flow started", () => {
    assert.equal(startingAutomation(run("r1", "COMPLETED", byAutomation)), "downstream-after-upstream");
    assert.equal(startingAutomation(run("r2", "COMPLETED", [{ kind: "deployment", id: "d1", name: "d" }, { kind: "flow-run", id: "r2", name: "f" }])), undefined);
    assert.equal(startingAutomation(run("r3", "COMPLETED", [{ kind: "flow-run", id: "p", name: "parent" }, { kind: "deployment", id: "d1", name: "d" }, { kind: "flow-run", id: "r3", name: "f" }])), undefined);
    assert.equal(startingAutomation(run("r4", "COMPLETED", undefined)), undefined);
  });

  it("tells a watched deployment run once, when it reaches a final state", () => {
    const notices = new RunEndNotices();
    notices.watch("r2", "upstream-flow/upstream-data-preparation");
    assert.equal(notices.noticeFor(run("r2", "RUNNING", undefined, { deploymentId: "d" }), true), undefined, "not before it ends");
    assert.deepEqual(notices.noticeFor(run("r2", "COMPLETED", undefined, { deploymentId: "d" }), false), { cause: "deployment upstream-flow/upstream-data-preparation", shown: true }, "whatever the automation setting");
    assert.equal(notices.noticeFor(run("r2", "COMPLETED", undefined, { deploymentId: "d" }), true), undefined, "and only once");
  });

  it("tells an automation's top-level run (only logged with the setting off), and no other run", () => {
    assert.deepEqual(new RunEndNotices().noticeFor(run("r1", "FAILED", byAutomation), false), { cause: "automation downstream-after-upstream", shown: false });
    const notices = new RunEndNotices();
    assert.deepEqual(notices.noticeFor(run("r1", "FAILED", byAutomation), true), { cause: "automation downstream-after-upstream", shown: true });
    assert.equal(notices.noticeFor(run("r5", "COMPLETED", byAutomation.map((l) => (l.id === "r1" ? { ...l, id: "r5" } : l)), { parentFlowRunId: "p" }), true), undefined, "a subflow is its parent's to tell");
    assert.equal(notices.noticeFor(run("r6", "COMPLETED", undefined), true), undefined, "a ▶ run is told by its own command");
  });
});
