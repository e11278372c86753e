import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const runningEvent = (name: string) => (e: { kind: string; run?: { name: string; state: { name: string } } }) =>
  e.kind === "task-run" && e.run?.name === name && e.run.state.name === "Running";

describe("tag concurrency limits", () => {
  it("runs at most `limit` tasks with the tag at once; a release in this process wakes the next at once", async () => {
    await rt.store.createConcurrencyLimit("db", 1, rt.clock.now());
    const gates = [deferred(), deferred(), deferred()];
    let active = 0;
    let maxActive = 0;
    const query = task("query", { tags: ["db"] }, async (i: number) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await gates[i]!.promise;
      active--;
      return i;
    });
    const firstRunning = rt.events.waitFor(runningEvent("query-0"));
    const running = flow("limited", async () => query.map([0, 1, 2]).result())();
    await firstRunning;
    for (let i = 0; i < 3; i++) {
      const next = i < 2 ? rt.events.waitFor(runningEvent(`query-${i + 1}`)) : undefined;
      gates[i]!.resolve();
      await next;
    }
    assert.deepEqual(await running, [0, 1, 2]);
    assert.equal(maxActive, 1);
    const [limit] = await rt.store.listConcurrencyLimits();
    assert.equal(limit?.active, 0, "every slot was given back");
    const [run] = await rt.store.listFlowRuns({ flowName: "limited" });
    const waits = (await rt.store.getLogs(run!.id)).filter((l) => /Waiting for a concurrency slot \(tags: db\)/.test(l.message));
    assert.equal(waits.length, 2);
    const taskRuns = await rt.store.getTaskRuns(run!.id);
    const histories = await Promise.all(taskRuns.map(async (t) => (await rt.store.getStateHistory(t.id)).map((h) => h.name)));
    assert.deepEqual(histories, [
      ["Pending", "Running", "Completed"],
      ["Pending", "AwaitingConcurrencySlot", "Running", "Completed"],
      ["Pending", "AwaitingConcurrencySlot", "Running", "Completed"],
    ]);
  });

  it("re-tries through the clock when another process holds the slot", async () => {
    await rt.store.createConcurrencyLimit("api", 1, rt.clock.now());
    assert.equal(await rt.store.tryAcquireConcurrencySlots(["api"], "elsewhere-task", "elsewhere-flow", rt.clock.now()), true);
    const call = task("call-api", { tags: ["api", "unlimited"] }, () => "called");
    const running = flow("waits-for-slot", async () => call())();
    await rt.clock.whenSleeping();
    assert.equal(rt.clock.sleeps.at(-1), 50);
    rt.clock.advanceToNextSleep(); // still held: it backs off further
    await rt.clock.whenSleeping();
    assert.equal(rt.clock.sleeps.at(-1), 100);
    await rt.store.releaseConcurrencySlots("elsewhere-task");
    rt.clock.advanceToNextSleep();
    assert.equal(await running, "called");
  });

  it("gives the slot back when the task fails", async () => {
    await rt.store.createConcurrencyLimit("flaky", 1, rt.clock.now());
    const bad = task("bad", { tags: ["flaky"] }, () => {
      throw new Error("x");
    });
    await assert.rejects(flow("fails-with-slot", async () => bad())());
    const [limit] = await rt.store.listConcurrencyLimits();
    assert.equal(limit?.active, 0);
  });
});
