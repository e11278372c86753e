import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { exponentialBackoff, retryDelayMs } from "./retry-delays.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

/** A function that throws `failures` times, then returns "ok". */
function flaky(failures: number) {
  let calls = 0;
  return {
    fn: async () => {
      calls++;
      if (calls <= failures) throw new Error(`failure ${calls}`);
      return "ok";
    },
    get calls() {
      return calls;
    },
  };
}

describe("retry delays", () => {
  it("exponentialBackoff doubles from the factor", () => {
    const delay = exponentialBackoff(2);
    assert.deepEqual([1, 2, 3, 4].map(delay), [2, 4, 8, 16]);
    assert.throws(() => exponentialBackoff(-1), /Expected `factor` to be a non-negative number, got `-1` \(number\)/);
  });

  it("takes a number, an array (last entry repeats) or a function of the retry number", () => {
    assert.equal(retryDelayMs(3, 5), 3000);
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs([1, 10, 60], n)), [1000, 10000, 60000, 60000]);
    assert.deepEqual([1, 2].map((n) => retryDelayMs((retry) => retry * 0.5, n)), [500, 1000]);
    assert.equal(retryDelayMs(undefined, 1), 0);
  });

  it("jitter stretches a delay d to between d and d × (1 + factor)", () => {
    assert.equal(retryDelayMs(10, 1, 0.5, () => 0), 10000);
    assert.equal(retryDelayMs(10, 1, 0.5, () => 0.999999), 15000);
    assert.equal(retryDelayMs(10, 1, 0.5, () => 0.5), 12500);
  });

  it("rejects a delay function that returns something other than a non-negative number", () => {
    assert.throws(() => retryDelayMs(() => -1, 1), /Expected `retryDelaySeconds` to give a non-negative number of seconds for retry 1, got `-1` \(number\)/);
  });
});

describe("task retries", () => {
  it("retries after the configured delays, recording AwaitingRetry → Retrying, then completes", async () => {
    const work = flaky(2);
    const fetchRows = task("fetch-rows", { retries: 3, retryDelaySeconds: exponentialBackoff(2) }, work.fn);
    const running = flow("retrying", async () => fetchRows())();

    await rt.clock.whenSleeping();
    assert.equal(rt.clock.sleeps.at(-1), 2000);
    assert.equal(work.calls, 1);
    rt.clock.advance(1999);
    assert.equal(rt.clock.sleeping, 1, "not woken before its time");
    rt.clock.advance(1);
    await rt.events.waitFor((e) => e.kind === "task-run" && e.run.state.name === "AwaitingRetry" && e.run.attempts === 2);
    await rt.clock.whenSleeping();
    assert.equal(rt.clock.sleeps.at(-1), 4000);
    rt.clock.advance(4000);
    assert.equal(await running, "ok");
    assert.equal(work.calls, 3);

    const [flowRun] = await rt.store.listFlowRuns({ flowName: "retrying" });
    const [taskRun] = await rt.store.getTaskRuns(flowRun!.id);
    assert.equal(taskRun?.attempts, 3);
    const history = await rt.store.getStateHistory(taskRun!.id);
    assert.deepEqual(
      history.map((s) => s.name),
      ["Pending", "Running", "AwaitingRetry", "Retrying", "AwaitingRetry", "Retrying", "Completed"],
    );
    assert.match(history[2]!.message ?? "", /Retry 1 of 3 in 2 s after: failure 1/);
    assert.equal(history[3]!.timestamp, new Date(rt.clock.now().getTime() - 4000).toISOString());
  });

  it("ends Failed after the last retry, with the last error", async () => {
    const work = flaky(5);
    const fetchRows = task("always-fails", { retries: 1 }, work.fn);
    await assert.rejects(flow("gives-up", async () => fetchRows())(), /Task run 'always-fails-0' failed: failure 2/);
    assert.equal(work.calls, 2);
    assert.equal(rt.clock.sleeps.length, 0, "no delay configured: no sleeping");
  });

  it("spreads delays with retryJitterFactor", async () => {
    const work = flaky(1);
    const jittery = task("jittery", { retries: 1, retryDelaySeconds: 10, retryJitterFactor: 0.5 }, work.fn);
    const running = flow("jitter", async () => jittery())();
    await rt.clock.whenSleeping();
    const slept = rt.clock.sleeps.at(-1)!;
    assert.ok(slept >= 10000 && slept <= 15000, `slept ${slept} ms`);
    rt.clock.advanceToNextSleep();
    assert.equal(await running, "ok");
  });

  it("uses an array of delays, one per retry", async () => {
    const work = flaky(2);
    const stepped = task("stepped", { retries: 2, retryDelaySeconds: [1, 30] }, work.fn);
    const running = flow("stepped-delays", async () => stepped())();
    await rt.clock.whenSleeping();
    rt.clock.advanceToNextSleep();
    await rt.events.waitFor((e) => e.kind === "task-run" && e.run.state.name === "AwaitingRetry" && e.run.attempts === 2);
    await rt.clock.whenSleeping();
    rt.clock.advanceToNextSleep();
    assert.equal(await running, "ok");
    assert.deepEqual(rt.clock.sleeps, [1000, 30000]);
  });
});

describe("flow retries", () => {
  it("re-runs the body, counting runs, and completes", async () => {
    const work = flaky(1);
    const step = task("step", () => "step");
    const retried = flow("retried-flow", { retries: 2, retryDelaySeconds: 5 }, async () => {
      await step();
      return work.fn();
    });
    const running = retried();
    await rt.clock.whenSleeping();
    assert.equal(rt.clock.sleeps.at(-1), 5000);
    rt.clock.advance(5000);
    assert.equal(await running, "ok");
    const [run] = await rt.store.listFlowRuns({ flowName: "retried-flow" });
    assert.equal(run?.runCount, 2);
    assert.deepEqual(
      (await rt.store.getStateHistory(run!.id)).map((s) => s.name),
      ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"],
    );
    const taskRuns = await rt.store.getTaskRuns(run!.id);
    assert.deepEqual(taskRuns.map((t) => t.name).sort(), ["step-0", "step-1"], "the body ran twice");
  });

  it("ends Failed when retries run out", async () => {
    const work = flaky(3);
    const doomed = flow("doomed", { retries: 1 }, work.fn);
    await assert.rejects(doomed(), /failure 2/);
    const [run] = await rt.store.listFlowRuns({ flowName: "doomed" });
    assert.equal(run?.state.name, "Failed");
    assert.equal(run?.runCount, 2);
  });
});
