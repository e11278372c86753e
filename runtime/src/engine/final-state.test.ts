import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

const ok = task("ok", (n: number) => n);
const bad = task("bad", async (message: string) => {
  throw new Error(message);
});

async function stateOf(flowName: string) {
  const [run] = await rt.store.listFlowRuns({ flowName });
  return run?.state;
}

describe("a flow's final state (Prefect 3's rule)", () => {
  it("fails when it returns a failed future", async () => {
    const f = flow("returns-failed-future", async () => bad.submit("broken"));
    await assert.rejects(f(), (error: Error & { stateName?: string }) => {
      assert.equal(error.name, "FlowRunError");
      assert.equal(error.stateName, "Failed");
      assert.match(error.message, /The flow returned a run that did not complete: task run 'bad-0' \(Failed: broken\)/);
      return true;
    });
    assert.equal((await stateOf("returns-failed-future"))?.name, "Failed");
  });

  it("fails when a returned array or object holds a failed future, and says how many", async () => {
    const inList = flow("returns-list", async () => [ok.submit(1), bad.submit("x"), ok.submit(2)]);
    await assert.rejects(inList(), /1 of 3 returned runs did not complete: task run 'bad-0' \(Failed: x\)/);
    const inObject = flow("returns-object", async () => ({ a: ok.submit(1), nested: { b: bad.submit("y") } }));
    await assert.rejects(inObject(), /1 of 2 returned runs did not complete/);
  });

  it("resolves returned futures (alone, in arrays, in objects, a map's list) to their results", async () => {
    const single = flow("returns-future", async () => ok.submit(5));
    assert.equal(await single(), 5);
    const mixed = flow("returns-mixed", async () => ({ list: ok.map([1, 2]), one: ok.submit(3), plain: "p" }));
    assert.deepEqual(await mixed(), { list: [1, 2], one: 3, plain: "p" });
    const [run] = await rt.store.listFlowRuns({ flowName: "returns-mixed" });
    assert.deepEqual(run?.result, { list: [1, 2], one: 3, plain: "p" });
  });

  it("completes when a failed task is neither returned nor awaited", async () => {
    const f = flow("ignores-failure", async () => {
      bad.submit("ignored");
      return "fine";
    });
    assert.equal(await f(), "fine");
    assert.equal((await stateOf("ignores-failure"))?.name, "Completed");
  });

  it("waits for submitted task runs before it ends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = task("slow", async () => {
      await gate;
      return "late";
    });
    const f = flow("drains", async () => {
      slow.submit();
      return "returned";
    });
    const taskRunning = rt.events.waitFor((e) => e.kind === "task-run" && e.run.state.name === "Running");
    const running = f();
    await taskRunning;
    let ended = false;
    void running.then(() => (ended = true));
    await new Promise((resolve) => setImmediate(resolve)); // one turn of the event loop, not a timed wait
    assert.equal(ended, false);
    assert.equal((await stateOf("drains"))?.name, "Running");
    release();
    assert.equal(await running, "returned");
    const [run] = await rt.store.listFlowRuns({ flowName: "drains" });
    const [taskRun] = await rt.store.getTaskRuns(run!.id);
    assert.equal(taskRun?.state.name, "Completed");
  });

  it("fails when it returns a failed subflow state", async () => {
    const child = flow("child-fails", async () => {
      throw new Error("child broke");
    });
    const parent = flow("returns-state", async () => child.withOptions({ returnState: true })());
    await assert.rejects(parent(), /child broke/);
    assert.equal((await stateOf("returns-state"))?.name, "Failed");
  });
});

describe("subflows", () => {
  it("links a subflow run to its parent flow run, and to the task that called it", async () => {
    const child = flow("child", async ({ n }: { n: number }) => n * 10);
    const viaTask = task("calls-child", async (n: number) => child({ n }));
    const parent = flow("parent", async () => [await child({ n: 1 }), await viaTask(2)]);
    assert.deepEqual(await parent(), [10, 20]);
    const [parentRun] = await rt.store.listFlowRuns({ flowName: "parent" });
    const children = await rt.store.getSubflowRuns(parentRun!.id);
    assert.equal(children.length, 2);
    const [callerTask] = await rt.store.getTaskRuns(parentRun!.id);
    const direct = children.find((c) => c.parameters.n === 1)!;
    const nested = children.find((c) => c.parameters.n === 2)!;
    assert.equal(direct.parentFlowRunId, parentRun!.id);
    assert.equal(direct.parentTaskRunId, undefined);
    assert.equal(nested.parentTaskRunId, callerTask!.id);
    assert.equal(nested.state.name, "Completed");
    assert.equal((await rt.store.listFlowRuns({ parentFlowRunId: null })).length, 1);
  });

  it("subflows commit with the grouped writes, and all are committed when the top-level call resolves: another connection sees them final", async () => {
    const child = flow("committed-child", async ({ n }: { n: number }) => n);
    const parent = flow("committing-parent", async () => {
      let total = 0;
      for (let n = 0; n < 20; n++) total += await child({ n });
      return total + (await Promise.all(Array.from({ length: 20 }, (_, n) => child({ n })))).length;
    });
    assert.equal(await parent(), 190 + 20);
    const other = openSqliteStore(rt.store.location);
    try {
      const [parentRun] = await other.listFlowRuns({ flowName: "committing-parent" });
      assert.equal(parentRun?.state.name, "Completed");
      const children = await other.getSubflowRuns(parentRun!.id);
      assert.deepEqual(
        children.map((c) => c.state.name),
        Array.from({ length: 40 }, () => "Completed"),
      );
    } finally {
      await other.close();
    }
  });

  it("a failed subflow throws FlowRunError in the parent, which may catch it", async () => {
    const child = flow("flaky-child", async () => {
      throw new Error("upstream gone");
    });
    let caught: (Error & { flowRunId?: string }) | undefined;
    const parent = flow("forgiving-parent", async () => {
      try {
        await child();
      } catch (error) {
        caught = error as Error;
      }
      return "carried on";
    });
    assert.equal(await parent(), "carried on");
    assert.equal(caught?.name, "FlowRunError");
    const [childRun] = await rt.store.listFlowRuns({ flowName: "flaky-child" });
    assert.equal(caught?.flowRunId, childRun?.id);
    assert.equal(childRun?.state.name, "Failed");
    assert.equal((await stateOf("forgiving-parent"))?.name, "Completed");
  });
});
