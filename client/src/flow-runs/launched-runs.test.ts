import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FlowRunRecord } from "../server/tributary-api.js";
import { LaunchedRuns } from "./launched-runs.js";

const since = Date.parse("2026-11-25T10:00:00.000Z");
const run = (id: string, flowName: string, createdAt: string, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord => ({
  id,
  name: id,
  flowName,
  state: { type: "PENDING", name: "Pending", timestamp: createdAt },
  parameters: {},
  tags: [],
  runCount: 0,
  createdAt,
  ...overrides,
});

describe("LaunchedRuns", () => {
  it("matches a launch to the first new top-level run of its flow, once, and cancels through it", () => {
    const launched = new LaunchedRuns();
    let cancelled = 0;
    const launch = launched.begin("etl", () => cancelled++, since);
    assert.equal(launched.claim(run("old", "etl", "2026-11-25T09:00:00.000Z")), undefined, "a run from before the launch");
    assert.equal(launched.claim(run("other", "report", "2026-11-25T10:00:01.000Z")), undefined, "another flow");
    assert.equal(launched.claim(run("sub", "etl", "2026-11-25T10:00:01.000Z", { parentFlowRunId: "p" })), undefined, "a subflow run");
    assert.equal(launched.claim(run("mine", "etl", "2026-11-25T10:00:01.000Z")), launch);
    assert.equal(launched.claim(run("mine", "etl", "2026-11-25T10:00:01.000Z")), undefined, "claimed once");
    assert.equal(launched.claim(run("second", "etl", "2026-11-25T10:00:02.000Z")), undefined, "the launch has its run");
    assert.equal(launched.cancel("second"), false);
    assert.equal(launched.cancel("mine"), true);
    assert.equal(cancelled, 1);
    launched.end(launch);
    assert.equal(launched.cancel("mine"), false, "an ended launch cancels nothing");
  });
});
