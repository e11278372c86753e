import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FlowRunRecord, TaskRunRecord } from "../server/tributary-api.js";
import { flowRunFields, formatElapsed, formatRelative, stateIcon, taskRunFields, triggeredBy } from "./run-item-fields.js";

const now = new Date("2026-11-25T10:05:00.000Z");

function run(overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return {
    id: "0199aaaa-0000-7000-8000-000000000001",
    name: "brisk-otter",
    flowName: "orchestrator-flow",
    state: { type: "COMPLETED", name: "Completed", timestamp: "2026-11-25T10:02:02.500Z" },
    parameters: {},
    tags: [],
    runCount: 1,
    createdAt: "2026-11-25T10:01:59.000Z",
    startTime: "2026-11-25T10:02:00.000Z",
    endTime: "2026-11-25T10:02:02.500Z",
    ...overrides,
  };
}

function task(overrides: Partial<TaskRunRecord> = {}): TaskRunRecord {
  return {
    id: "0199aaaa-0000-7000-8000-0000000000t1",
    flowRunId: "0199aaaa-0000-7000-8000-000000000001",
    name: "extract-0",
    taskName: "extract",
    state: { type: "COMPLETED", name: "Completed", timestamp: "2026-11-25T10:02:01.000Z" },
    attempts: 1,
    tags: [],
    upstreamTaskRunIds: [],
    createdAt: "2026-11-25T10:02:00.100Z",
    startTime: "2026-11-25T10:02:00.200Z",
    endTime: "2026-11-25T10:02:00.450Z",
    ...overrides,
  };
}

describe("Flow Runs item fields", () => {
  it("ends a completed run's description with its result, cut short, and shows it in the tooltip", () => {
    const fields = flowRunFields(run({ result: "b-42:14" }), now);
    assert.equal(fields.description, 'Completed · 2.5 s · 3 min ago · → "b-42:14"');
    assert.match(fields.tooltip, /Result:\n\n```json\n"b-42:14"\n```/);
    const long = flowRunFields(run({ result: { rows: "x".repeat(2000) } }), now);
    assert.match(long.description, / · → \{"rows":"x+…$/);
    assert.ok(long.description.length < 120, long.description);
    assert.match(long.tooltip, /Cut short: Open Result shows the whole value/);
    const preview = flowRunFields(run({ resultPreview: '{"rows":"xxx' }), now);
    assert.match(preview.tooltip, /```json\n\{"rows":"xxx…\n```/);
    assert.doesNotMatch(flowRunFields(run(), now).tooltip, /Result:/);
    // A value with a fence in it cannot close the block and format the rest of the tooltip.
    assert.match(flowRunFields(run({ result: "a ``` b" }), now).tooltip, /````json\n"a ``` b"\n````/);
  });

  it("shows a failed run's error in its description and tooltip, with the first frame of the user's code once known", () => {
    const failed = run({ state: { type: "FAILED", name: "Failed", timestamp: "2026-11-25T10:02:02.500Z", message: 'cannot parse row "bad"' } });
    assert.equal(flowRunFields(failed, now).description, 'Failed · 2.5 s · 3 min ago · cannot parse row "bad"');
    const tooltip = flowRunFields(failed, now, "at parseRow (flows/etl.ts:4:28)").tooltip;
    assert.match(tooltip, /Error:\n\n```text\ncannot parse row "bad"\n {4}at parseRow \(flows\/etl\.ts:4:28\)\n```/);
  });

  it("labels a flow run with flow and run name, and describes state · duration · start", () => {
    const fields = flowRunFields(run(), now);
    assert.equal(fields.label, "orchestrator-flow · brisk-otter");
    assert.equal(fields.description, "Completed · 2.5 s · 3 min ago");
    assert.deepEqual(fields.icon, { id: "pass", color: "testing.iconPassed" });
    assert.equal(fields.contextValue, "flowRun.completed");
  });

  it("spins while running, counting the time so far, and shows the attempt of a retried run", () => {
    const running = flowRunFields(run({ state: { type: "RUNNING", name: "Retrying", timestamp: "2026-11-25T10:04:00.000Z" }, endTime: undefined, runCount: 2 }), now);
    assert.equal(running.icon.id, "loading~spin");
    assert.equal(running.contextValue, "flowRun.running");
    assert.equal(running.description, "Retrying · 3 min 00 s · attempt 2 · 3 min ago");
  });

  it("gives each state type its icon and colour", () => {
    const icon = (type: string, name: string) => stateIcon({ type, name });
    assert.deepEqual(icon("FAILED", "Failed"), { id: "error", color: "testing.iconFailed" });
    assert.equal(icon("CANCELLED", "Cancelled").id, "circle-slash");
    assert.equal(icon("CRASHED", "Crashed").id, "warning");
    assert.deepEqual(icon("SCHEDULED", "Scheduled"), { id: "clock" });
    assert.deepEqual(icon("SCHEDULED", "Late"), { id: "clock", color: "problemsWarningIcon.foreground" });
    assert.equal(icon("PAUSED", "Paused").id, "debug-pause");
    assert.equal(icon("PENDING", "Pending").id, "loading~spin");
    assert.equal(icon("CANCELLING", "Cancelling").id, "loading~spin");
  });

  it("describes a scheduled run by when it is meant to start", () => {
    const scheduled = flowRunFields(
      run({ state: { type: "SCHEDULED", name: "Scheduled", timestamp: now.toISOString() }, startTime: undefined, endTime: undefined, expectedStartTime: "2026-11-25T10:10:00.000Z" }),
      now,
    );
    assert.equal(scheduled.description, "Scheduled · in 5 min");
    assert.equal(scheduled.contextValue, "flowRun.scheduled");
    assert.match(scheduled.tooltip, /Scheduled for: .* \(in 5 min\)/);
  });

  it("puts parameters, tags, deployment, the trigger and the id in the tooltip", () => {
    const id = "0199aaaa-0000-7000-8000-000000000009";
    const tooltip = flowRunFields(
      run({
        id,
        parameters: { batch: 5, source: "a.csv" },
        tags: ["etl", "nightly"],
        deploymentId: "d1",
        state: { type: "FAILED", name: "Failed", message: "Task extract-0 failed: boom\nstack", timestamp: "2026-11-25T10:02:02.500Z" },
        chain: [
          { kind: "flow-run", id: "u1", name: "upstream-flow" },
          { kind: "automation", id: "a1", name: "after-upstream" },
          { kind: "deployment", id: "d1", name: "orchestrator-flow/nightly" },
          { kind: "flow-run", id, name: "orchestrator-flow" },
        ],
      }),
      now,
    ).tooltip;
    // Markdown characters of the message are escaped, so that a message cannot format the tooltip.
    assert.ok(tooltip.includes("State: **Failed** — Task extract\\-0 failed: boom\n"), tooltip);
    assert.ok(!tooltip.includes("stack"), "only the first line of the message");
    assert.match(tooltip, /"batch": 5/);
    assert.match(tooltip, /"source": "a\.csv"/);
    assert.match(tooltip, /Tags: `etl`, `nightly`/);
    assert.match(tooltip, /Deployment: `orchestrator-flow\/nightly`/);
    assert.match(tooltip, /Triggered by: flow-run `upstream-flow` → automation `after-upstream` → deployment `orchestrator-flow\/nightly`/);
    assert.match(tooltip, new RegExp(`Run ID: \`${id}\``));
    assert.match(tooltip, /Duration: 2\.5 s/);
  });

  it("says a run without a chain was started by tributary run, or is a subflow", () => {
    assert.equal(triggeredBy({ id: "r" }), "`tributary run` (▶ Run flow)");
    assert.equal(triggeredBy({ id: "r", parentFlowRunId: "p" }), "its parent flow run (a subflow)");
  });

  it("maps a task run: its name, state, duration, attempts and a taskRun contextValue", () => {
    const done = taskRunFields(task(), now);
    assert.equal(done.label, "extract-0");
    assert.equal(done.description, "Completed · 250 ms");
    assert.equal(done.contextValue, "taskRun.completed");
    const retried = taskRunFields(task({ attempts: 3, state: { type: "FAILED", name: "Failed", timestamp: now.toISOString() } }), now);
    assert.equal(retried.description, "Failed · 250 ms · attempt 3");
    assert.equal(retried.icon.id, "error");
    assert.match(retried.tooltip, /Attempts: 3/);
  });
});

describe("durations and relative times", () => {
  it("formats elapsed time from milliseconds to hours", () => {
    assert.equal(formatElapsed(0), "0 ms");
    assert.equal(formatElapsed(999), "999 ms");
    assert.equal(formatElapsed(4_290), "4.2 s");
    assert.equal(formatElapsed(125_000), "2 min 05 s");
    assert.equal(formatElapsed(3_720_000), "1 h 02 min");
    assert.equal(formatElapsed(-5), "0 ms");
  });

  it("says how long ago, or how soon, from an injected now", () => {
    const ago = (seconds: number) => formatRelative(new Date(now.getTime() - seconds * 1000).toISOString(), now);
    assert.equal(ago(2), "just now");
    assert.equal(ago(12), "12 s ago");
    assert.equal(ago(5 * 60 + 59), "5 min ago");
    assert.equal(ago(3 * 3600), "3 h ago");
    assert.equal(ago(86_400), "1 day ago");
    assert.equal(ago(3 * 86_400), "3 days ago");
    assert.equal(ago(-600), "in 10 min");
    assert.equal(formatRelative("not a date", now), "at an unknown time");
  });
});
