import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DeploymentRecord } from "../../../runtime/src/orchestrator/contract.js";
import type { FlowRunRecord } from "../../../runtime/src/store/records.js";
import { deploymentItem, describeDeployment, lastRunOf, nextRun, replacesLastRun, runStateIcon } from "./deployment-item.js";

const now = new Date("2026-11-26T10:00:30Z");

function deployment(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: "d1",
    name: "upstream-flow/upstream-data-preparation",
    flowName: "upstream-flow",
    entrypoint: "upstream-flow.ts:upstream",
    workDir: "/ws",
    schedules: [{ interval: "2h", anchor: "2026-11-26T09:00:00Z" }],
    parameters: { batchSize: 10 },
    tags: ["etl"],
    description: "Prepares a batch every two hours.",
    paused: false,
    triggers: [],
    createdAt: "2026-11-26T09:00:00Z",
    updatedAt: "2026-11-26T09:00:00Z",
    ...overrides,
  };
}

function run(type: FlowRunRecord["state"]["type"], name = "crimson-otter"): FlowRunRecord {
  return { id: "r1", name, flowName: "upstream-flow", state: { type, name: type === "COMPLETED" ? "Completed" : "Running", timestamp: now.toISOString() } as FlowRunRecord["state"], parameters: {}, tags: [], runCount: 1, createdAt: now.toISOString() };
}

describe("deploymentItem", () => {
  it("says the schedule in words and the next run, relative to now", () => {
    assert.equal(describeDeployment(deployment(), now), "every 2 hours · next in 59 minutes");
    assert.equal(describeDeployment(deployment({ schedules: [{ interval: 3600, anchor: "2026-11-26T09:00:30Z" }] }), now), "every hour · next in 1 hour");
  });

  it("says paused instead of a next run, with the pause icon and context", () => {
    const item = deploymentItem(deployment({ paused: true }), run("COMPLETED"), now);
    assert.equal(item.description, "every 2 hours · paused");
    assert.deepEqual(item.icon, { id: "debug-pause" });
    assert.equal(item.contextValue, "deployment.paused");
  });

  it("takes its icon from the last run's state, an empty circle when never run", () => {
    const active = deployment();
    assert.deepEqual(deploymentItem(active, undefined, now).icon, { id: "circle-outline" });
    assert.deepEqual(deploymentItem(active, run("RUNNING"), now).icon, { id: "loading~spin", color: "charts.blue" });
    assert.deepEqual(deploymentItem(active, run("COMPLETED"), now).icon, { id: "pass", color: "testing.iconPassed" });
    assert.equal(runStateIcon(run("FAILED")).id, "error");
    assert.equal(runStateIcon(run("CANCELLED")).id, "circle-slash");
    assert.equal(deploymentItem(active, undefined, now).contextValue, "deployment.active");
  });

  it("has no next run without schedules", () => {
    assert.equal(describeDeployment(deployment({ schedules: [] }), now), "no schedule");
  });

  it("drops the lens's absolute cron time for one relative next run", () => {
    const d = deployment({ schedules: [{ cron: "0 12 * * *", timezone: "UTC" }] });
    assert.equal(describeDeployment(d, now), "cron 0 12 * * * (UTC) · next in 1 hour 59 minutes");
  });

  it("takes the earliest next time of several schedules", () => {
    const next = nextRun([{ cron: "0 12 * * *", timezone: "UTC" }, { interval: 600, anchor: "2026-11-26T10:00:00Z" }], now);
    assert.equal(next?.toISOString(), "2026-11-26T10:10:00.000Z");
  });

  it("puts flow, entrypoint, parameters, tags, triggers and the last run in the tooltip", () => {
    const item = deploymentItem(
      deployment({ concurrencyLimit: 2, triggers: [{ type: "flow-run-state-change", match: { flow: "ingest" }, expect: ["Completed"] }] }),
      run("COMPLETED"),
      now,
    );
    for (const part of ["`upstream-flow`", "`upstream-flow.ts:upstream`", '`{"batchSize":10}`', "`etl`", "Concurrency limit: 2", "Triggered by: ingest Completed", "`crimson-otter` Completed"]) {
      assert.ok(item.tooltip.includes(part), `tooltip has ${part}:\n${item.tooltip}`);
    }
    assert.equal(item.label, "upstream-flow/upstream-data-preparation");
    assert.equal(item.id, "deployment:upstream-flow/upstream-data-preparation");
  });
});

describe("the last run of a deployment", () => {
  const at = (type: FlowRunRecord["state"]["type"], id: string, startTime?: string): FlowRunRecord => ({ ...run(type, id), id, ...(startTime ? { startTime } : {}) });

  it("skips the runs the scheduler made ahead", () => {
    const runs = [at("SCHEDULED", "s3"), at("SCHEDULED", "s2"), at("COMPLETED", "done"), at("FAILED", "older")];
    assert.equal(lastRunOf(runs)?.id, "done");
    assert.equal(lastRunOf([at("SCHEDULED", "s1")]), undefined);
  });

  it("is replaced by a newer run or a change of the same run, never by a scheduled one", () => {
    const current = at("COMPLETED", "a", "2026-11-26T10:00:00Z");
    assert.equal(replacesLastRun(current, at("RUNNING", "b", "2026-11-26T10:05:00Z")), true);
    assert.equal(replacesLastRun(current, at("COMPLETED", "a", "2026-11-26T10:00:00Z")), true);
    assert.equal(replacesLastRun(current, at("COMPLETED", "old", "2026-11-26T09:00:00Z")), false);
    assert.equal(replacesLastRun(current, at("SCHEDULED", "c")), false);
    assert.equal(replacesLastRun(undefined, at("PENDING", "d")), true);
  });
});
