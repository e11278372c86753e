import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "../../engine/run-events.js";
import { makeState } from "../../states.js";
import { EventBatches } from "./event-batches.js";
import type { WireEvent } from "./wire-events.js";

const at = "2024-01-01T12:00:00.000Z";

function taskEvent(n: number): RunEvent {
  const run = { id: `t${n}`, flowRunId: "f", name: `step-${n}`, taskName: "step", state: makeState("Completed", new Date(at)) };
  return { kind: "task-run", run: { ...run, attempts: 1, tags: [], upstreamTaskRunIds: [], createdAt: at } };
}
const logEvent: RunEvent = { kind: "log", log: { flowRunId: "f", level: "info", message: "a line", timestamp: at } };
const names = (batches: WireEvent[][]) => batches.map((batch) => batch.map((event) => (event.kind === "task-run" ? event.run.name : event.kind)));
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("EventBatches", () => {
  it("sends the task-run events of one turn in one batch, in order, and a later turn's in the next", async () => {
    const sent: WireEvent[][] = [];
    const batches = new EventBatches((events) => sent.push(events));
    for (let n = 0; n < 5; n++) batches.add(taskEvent(n));
    assert.equal(sent.length, 0, "nothing is sent before the turn ends");
    await turn();
    batches.add(taskEvent(5));
    await turn();
    assert.deepEqual(names(sent), [["step-0", "step-1", "step-2", "step-3", "step-4"], ["step-5"]]);
  });

  it("sends a full batch at once (a loop that never yields the turn still shows progress), and flush() sends the rest", () => {
    const sent: WireEvent[][] = [];
    const batches = new EventBatches((events) => sent.push(events), 3);
    for (let n = 0; n < 7; n++) batches.add(taskEvent(n));
    assert.deepEqual(names(sent), [
      ["step-0", "step-1", "step-2"],
      ["step-3", "step-4", "step-5"],
    ]);
    batches.flush();
    batches.flush();
    assert.deepEqual(names(sent), [["step-0", "step-1", "step-2"], ["step-3", "step-4", "step-5"], ["step-6"]]);
  });

  it("sends a log line at once, after what was queued before it (the code may block the event loop next)", () => {
    const sent: WireEvent[][] = [];
    const batches = new EventBatches((events) => sent.push(events));
    batches.add(taskEvent(0));
    batches.add(logEvent);
    assert.deepEqual(names(sent), [["step-0", "log"]]);
  });
});
