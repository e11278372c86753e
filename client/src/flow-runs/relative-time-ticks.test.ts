import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FlowRunRecord } from "../server/tributary-api.js";
import { needsTick, nextTickDelay, RECENT_TICK_MS, RUNNING_TICK_MS } from "./relative-time-ticks.js";
import { flowRunFields } from "./run-item-fields.js";

const now = new Date("2026-11-25T10:05:00.000Z");
const at = (secondsFromNow: number) => new Date(now.getTime() + secondsFromNow * 1000).toISOString();

function run(name: string, startedSecondsAgo: number, state: FlowRunRecord["state"]["type"] = "COMPLETED"): FlowRunRecord {
  const stateName = state === "RUNNING" ? "Running" : state === "SCHEDULED" ? "Scheduled" : "Completed";
  return {
    id: name,
    name,
    flowName: "upstream-flow",
    state: { type: state, name: stateName, timestamp: at(-startedSecondsAgo) },
    parameters: {},
    tags: [],
    runCount: 1,
    createdAt: at(-startedSecondsAgo),
    ...(state === "SCHEDULED" ? { expectedStartTime: at(-startedSecondsAgo) } : { startTime: at(-startedSecondsAgo) }),
    ...(state === "COMPLETED" ? { endTime: at(-startedSecondsAgo + 1) } : {}),
  };
}

describe("Flow Runs relative-time ticks", () => {
  it("ticks the runs whose relative time is younger or nearer than an hour, and running ones", () => {
    const runs = [run("fresh", 2), run("minutes", 10 * 60), run("hours", 3 * 3600), run("long-running", 3 * 3600, "RUNNING"), run("soon", -5 * 60, "SCHEDULED")];
    assert.deepEqual(runs.filter((r) => needsTick(r, now)).map((r) => r.name), ["fresh", "minutes", "long-running", "soon"]);
  });

  it("waits 5 s while a run is running, 20 s while some time is recent, and not at all otherwise", () => {
    assert.equal(nextTickDelay([run("old", 3 * 3600), run("running", 30, "RUNNING")], now), RUNNING_TICK_MS);
    assert.equal(nextTickDelay([run("old", 3 * 3600), run("fresh", 2)], now), RECENT_TICK_MS);
    assert.equal(nextTickDelay([run("old", 3 * 3600)], now), undefined);
    assert.equal(nextTickDelay([], now), undefined);
  });

  it("keeps ticking a finished run until its text reads hours: 'just now' moves on, '59 min ago' becomes '1 h ago'", () => {
    const finished = run("finished", 0);
    const shownAt = (seconds: number) => flowRunFields(finished, new Date(now.getTime() + seconds * 1000)).description.split(" · ").at(-1);
    assert.equal(shownAt(0), "just now");
    for (let elapsed = 0; elapsed < 3600; elapsed += RECENT_TICK_MS / 1000) {
      assert.ok(needsTick(finished, new Date(now.getTime() + elapsed * 1000)), `still ticked after ${elapsed} s (${shownAt(elapsed)})`);
    }
    const firstHourTick = Math.ceil(3600 / (RECENT_TICK_MS / 1000)) * (RECENT_TICK_MS / 1000);
    assert.equal(shownAt(firstHourTick), "1 h ago");
    assert.ok(needsTick(finished, new Date(now.getTime() + firstHourTick * 1000)), "the tick that shows 1 h ago");
    assert.equal(nextTickDelay([finished], new Date(now.getTime() + (firstHourTick + RECENT_TICK_MS / 1000) * 1000)), undefined, "then no more ticks");
  });
});
