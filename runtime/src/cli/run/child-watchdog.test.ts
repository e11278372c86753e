import assert from "node:assert/strict";
import { afterEach, describe, it, mock } from "node:test";
import type { RunEvent } from "../../engine/run-events.js";
import { makeState, type StateName } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import type { AbandonedRunEnding } from "../../store/store.js";
import { ChildWatchdog } from "./child-watchdog.js";

// The watchdog's timers are the real clock's; node:test's mock timers move them by hand.
afterEach(() => mock.timers.reset());

function stateEvent(name: StateName): RunEvent {
  const run = { id: "run-1", name: "brisk-otter", flowName: "f", state: makeState(name, new Date()), parameters: {}, tags: [], runCount: 1, createdAt: new Date().toISOString() };
  return { kind: "flow-run", run: run as FlowRunRecord };
}

describe("ChildWatchdog and a paused run", () => {
  it("keeps the flow's deadline through a pause: a resume does not restart the count", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const endings: AbandonedRunEnding[] = [];
    const watchdog = new ChildWatchdog("run-1", { graceMs: 1000 }, (ending) => endings.push(ending));
    try {
      watchdog.onStarted(10);
      watchdog.onEvent(stateEvent("Running"));
      mock.timers.tick(4000);
      watchdog.onEvent(stateEvent("Paused"));
      mock.timers.tick(4000);
      watchdog.onEvent(stateEvent("Running")); // resumed 8 s after the run started
      mock.timers.tick(2999);
      assert.equal(endings.length, 0, "not before the timeout (10 s) and the grace (1 s) from the start");
      mock.timers.tick(1);
      assert.deepEqual(endings.map((ending) => ending.state), ["TimedOut"]);
    } finally {
      watchdog.dispose();
    }
  });
});
