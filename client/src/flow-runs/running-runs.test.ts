import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunningRuns, statusText } from "./running-runs.js";

const state = (type: string) => ({ type, name: type, timestamp: "2026-11-25T10:00:00.000Z" }) as never;

describe("the running count of the status bar", () => {
  it("counts top-level running runs as their states change, not subflows", () => {
    const running = new RunningRuns();
    running.reset([{ id: "a", state: state("RUNNING") } as never, { id: "b", state: state("COMPLETED") } as never]);
    assert.equal(running.count, 1);
    assert.equal(running.apply({ id: "c", state: state("RUNNING") }), true);
    assert.equal(running.apply({ id: "s", state: state("RUNNING"), parentFlowRunId: "c" }), false);
    assert.equal(running.apply({ id: "a", state: state("RUNNING") }), false);
    assert.equal(running.apply({ id: "a", state: state("COMPLETED") }), true);
    assert.equal(running.count, 1);
  });

  it("says the state, the count and the server URL", () => {
    const connected = statusText("connected", 2, "http://127.0.0.1:4312");
    assert.equal(connected.text, "$(pulse) Tributary: 2 running");
    assert.match(connected.tooltip, /http:\/\/127\.0\.0\.1:4312: 2 flow runs running/);
    assert.equal(statusText("connecting", 0, "u").text, "$(sync~spin) Tributary");
    assert.equal(statusText("unreachable", 0, "u").text, "$(circle-slash) Tributary");
    assert.match(statusText("unreachable", 0, "http://x:1").tooltip, /http:\/\/x:1 is not reachable/);
  });
});
