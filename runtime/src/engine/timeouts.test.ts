import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { getRunContext } from "./run-context.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

describe("timeouts", () => {
  it("a task over its timeoutSeconds ends TimedOut and its signal aborts", async () => {
    let signal: AbortSignal | undefined;
    const hangs = task("hangs", { timeoutSeconds: 5 }, () => {
      signal = getRunContext().signal;
      return new Promise(() => undefined);
    });
    let caught: (Error & { stateName?: string }) | undefined;
    const running = flow("task-timeout", async () => {
      try {
        await hangs();
      } catch (error) {
        caught = error as Error;
      }
      return "after";
    })();
    await rt.clock.whenSleeping();
    assert.equal(rt.clock.sleeps.at(-1), 5000);
    assert.equal(signal?.aborted, false);
    rt.clock.advance(5000);
    assert.equal(await running, "after");
    assert.equal(signal?.aborted, true);
    assert.equal((signal?.reason as Error).name, "RunTimeoutError");
    assert.equal(caught?.stateName, "TimedOut");
    assert.match(caught!.message, /Task run 'hangs-0' timed out: Task run 'hangs-0' timed out after 5 s/);
    const [run] = await rt.store.listFlowRuns({ flowName: "task-timeout" });
    const [taskRun] = await rt.store.getTaskRuns(run!.id);
    assert.equal(taskRun?.state.name, "TimedOut");
    assert.equal(taskRun?.state.type, "FAILED");
  });

  it("a timed-out task is retried, and a fast attempt clears its timer", async () => {
    let calls = 0;
    const slowThenFast = task("slow-then-fast", { timeoutSeconds: 1, retries: 1 }, async () => {
      calls++;
      if (calls === 1) return new Promise(() => undefined);
      return "fast";
    });
    const running = flow("timeout-retry", async () => slowThenFast())();
    await rt.clock.whenSleeping();
    rt.clock.advance(1000);
    assert.equal(await running, "fast");
    assert.equal(rt.clock.sleeping, 0, "the second attempt's timer was cleared");
  });

  it("a flow over its timeoutSeconds ends TimedOut; its running tasks are cancelled", async () => {
    let signal: AbortSignal | undefined;
    const hangs = task("flow-hangs", () => new Promise(() => undefined));
    const slowFlow = flow("flow-timeout", { timeoutSeconds: 60 }, async () => {
      signal = getRunContext().signal;
      await hangs();
    });
    const taskRunning = rt.events.waitFor((e) => e.kind === "task-run" && e.run.state.name === "Running");
    const running = slowFlow();
    await taskRunning;
    await rt.clock.whenSleeping();
    rt.clock.advance(60_000);
    await assert.rejects(running, (error: Error & { stateName?: string }) => {
      assert.equal(error.stateName, "TimedOut");
      assert.match(error.message, /timed out after 60 s/);
      return true;
    });
    assert.equal(signal?.aborted, true);
    const [run] = await rt.store.listFlowRuns({ flowName: "flow-timeout" });
    assert.equal(run?.state.name, "TimedOut");
    const [taskRun] = await rt.store.getTaskRuns(run!.id);
    assert.equal(taskRun?.state.name, "Cancelled");
    assert.match(taskRun?.state.message ?? "", /The flow run timed out/);
  });
});
