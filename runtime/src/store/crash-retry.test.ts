import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeState, type StateName } from "../states.js";
import { crashEnding } from "./crash-retry.js";
import type { FlowRunRecord, RetryBudget } from "./records.js";

const at = new Date("2026-12-06T12:00:00.000Z");

function run(state: StateName, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return {
    id: "r1",
    name: "brave-otter",
    flowName: "etl",
    deploymentId: "d1",
    state: makeState(state, new Date(at.getTime() - 1000)),
    parameters: {},
    tags: [],
    runCount: 1,
    createdAt: at.toISOString(),
    ...overrides,
  };
}

const budget = (left: number, delayMs = 0): RetryBudget => ({ left, delayMs });

describe("crashEnding", () => {
  it("reschedules a deployment run its retries cover, due after the delay, with one attempt fewer carried", () => {
    const crashed = run("Running", { retryBudget: budget(2, 5000) });
    const ending = crashEnding(crashed, "gone", at);
    assert.equal(ending.state, "Crashed");
    assert.deepEqual(ending.retry, {
      message: "Crashed; retried in 5 s (1 more retry after this one): gone",
      startAt: new Date(at.getTime() + 5000),
      budget: { left: 1, delayMs: 0, carried: true },
      seenStateAt: crashed.state.timestamp,
    });
  });

  it("ends Crashed with no retry left, without a budget, outside a deployment, and while being cancelled", () => {
    for (const [why, crashed] of [
      ["no retry left", run("Running", { retryBudget: budget(0) })],
      ["no budget recorded (claimed, not started)", run("Pending")],
      ["not a deployment's run", run("Running", { deploymentId: undefined, retryBudget: budget(2) })],
      ["asked to cancel", run("Cancelling", { retryBudget: budget(2) })],
    ] as const) {
      assert.deepEqual(crashEnding(crashed, "gone", at), { state: "Crashed", message: "gone" }, why);
    }
  });
});
