import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { allowFailure, TaskFutureList, unmapped, type TaskFuture } from "../futures.js";
import { task } from "../task.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

async function onlyFlowRun(flowName: string) {
  const [run] = await rt.store.listFlowRuns({ flowName });
  assert.ok(run, `no run of ${flowName}`);
  return run;
}

async function taskRunsByName(flowName: string) {
  const run = await onlyFlowRun(flowName);
  const taskRuns = await rt.store.getTaskRuns(run.id);
  return new Map(taskRuns.map((t) => [t.name, t]));
}

describe("task runs", () => {
  it("records Pending → Running → Completed with the result and names runs <task>-<n>", async () => {
    const double = task("double", async (n: number) => n * 2);
    const f = flow("doubles", async () => [await double(1), await double(2)]);
    assert.deepEqual(await f(), [2, 4]);
    const runs = await taskRunsByName("doubles");
    assert.deepEqual([...runs.keys()].sort(), ["double-0", "double-1"]);
    const second = runs.get("double-1")!;
    assert.equal(second.state.name, "Completed");
    assert.equal(second.result, 4);
    assert.equal(second.attempts, 1);
    assert.deepEqual(
      (await rt.store.getStateHistory(second.id)).map((s) => s.name),
      ["Pending", "Running", "Completed"],
    );
  });

  it("throws TaskRunError to the caller when the function throws; the flow fails if it is not caught", async () => {
    const boom = task("boom", () => {
      throw new Error("kaput");
    });
    let caught: (Error & { stateName?: string; taskRunId?: string }) | undefined;
    const f = flow("catches", async () => {
      try {
        await boom();
      } catch (error) {
        caught = error as Error;
      }
      return "handled";
    });
    assert.equal(await f(), "handled");
    assert.equal(caught?.name, "TaskRunError");
    assert.equal(caught?.stateName, "Failed");
    assert.match(caught!.message, /Task run 'boom-0' failed: kaput/);
    assert.equal((await onlyFlowRun("catches")).state.name, "Completed");
    const runs = await taskRunsByName("catches");
    assert.equal(runs.get("boom-0")?.state.name, "Failed");
    assert.equal(runs.get("boom-0")?.state.message, "kaput");

    const g = flow("does-not-catch", async () => boom());
    await assert.rejects(g(), /Task run 'boom-0' failed: kaput/);
  });

  it("stores a result that is not JSON as its JSON projection and returns it as it was", async () => {
    const makeMap = task("make-map", () => new Map([["a", 1]]));
    const f = flow("maps", async () => (await makeMap()).get("a"));
    assert.equal(await f(), 1);
    const run = (await taskRunsByName("maps")).get("make-map-0")!;
    assert.equal(run.state.name, "Completed");
    assert.deepEqual(run.result, { a: 1 });
  });

  it("emits a task-run event for every transition", async () => {
    const one = task("one", () => 1);
    await flow("events", async () => one())();
    const states = rt.seen.flatMap((e) => (e.kind === "task-run" ? [e.run.state.name] : []));
    assert.deepEqual(states, ["Pending", "Running", "Completed"]);
  });
});

describe("futures", () => {
  it("submit returns a future at once; result() resolves after the run; state follows it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = task("slow", async () => {
      await gate;
      return "done";
    });
    const f = flow("submits", async () => {
      const future = slow.submit();
      assert.equal(future.state.type, "PENDING");
      assert.match(future.taskRunId, /^[0-9a-f-]{36}$/);
      await rt.events.waitFor((e) => e.kind === "task-run" && e.run.state.name === "Running");
      assert.equal(future.state.name, "Running");
      release();
      assert.equal(await future.result(), "done");
      assert.equal((await future.wait()).name, "Completed");
      return future.state.name;
    });
    assert.equal(await f(), "Completed");
  });

  it("passes a future's result to a downstream task and records the upstream", async () => {
    const extract = task("extract", async () => [1, 2, 3]);
    const total = task("total", (rows: number[], extra: { rows: number[] }) => rows.length + extra.rows.length);
    const f = flow("data-passing", async () => {
      const rows = extract.submit();
      return total(rows, { rows });
    });
    assert.equal(await f(), 6);
    const runs = await taskRunsByName("data-passing");
    assert.deepEqual(runs.get("total-0")?.upstreamTaskRunIds, [runs.get("extract-0")!.id]);
  });

  it("waitFor orders runs without passing results, with submit, call and map", async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = task("first", async () => {
      await gate;
      order.push("first");
    });
    const after = task("after", (label: string) => {
      order.push(label);
    });
    const f = flow("waits", async () => {
      const a = first.submit();
      const later = after.withOptions({ waitFor: [a] });
      const b = later.submit("submitted");
      const mapped = later.map(["m0", "m1"]);
      const called = later("called");
      release();
      await Promise.all([b.wait(), mapped.wait(), called]);
    });
    await f();
    assert.equal(order[0], "first");
    assert.deepEqual(order.slice(1).sort(), ["called", "m0", "m1", "submitted"]);
    const runs = await taskRunsByName("waits");
    const firstId = runs.get("first-0")!.id;
    for (const name of ["after-0", "after-1", "after-2", "after-3"]) assert.deepEqual(runs.get(name)?.upstreamTaskRunIds, [firstId]);
  });

  it("a downstream of a failed upstream does not run: it is recorded NotReady and its result() throws", async () => {
    let ran = false;
    const fail = task("fail", async () => {
      throw new Error("no data");
    });
    const load = task("load", (_rows: unknown) => {
      ran = true;
    });
    let error: (Error & { stateName?: string }) | undefined;
    const f = flow("not-ready", async () => {
      const rows = fail.submit();
      const loaded = load.submit(rows);
      try {
        await loaded.result();
      } catch (e) {
        error = e as Error;
      }
      return "ok";
    });
    await f();
    assert.equal(ran, false);
    assert.equal(error?.name, "TaskRunError");
    assert.equal(error?.stateName, "NotReady");
    const loadRun = (await taskRunsByName("not-ready")).get("load-0")!;
    assert.equal(loadRun.state.type, "PENDING");
    assert.equal(loadRun.state.name, "NotReady");
    assert.match(loadRun.state.message ?? "", /Upstream task run 'fail-0' did not complete \(Failed\)/);
  });

  it("allowFailure lets a downstream run after a failed upstream and hands it the Error", async () => {
    const fail = task("fail", async () => {
      throw new Error("bad batch");
    });
    const report = task("report", (value: unknown) => (value instanceof Error ? `error: ${value.message}` : `ok: ${String(value)}`));
    const f = flow("allow-failure", async () => {
      const upstream = fail.submit();
      const viaArg = await report(allowFailure(upstream));
      const viaWaitFor = await report.withOptions({ waitFor: [allowFailure(upstream)] })("ran anyway");
      return [viaArg, viaWaitFor];
    });
    assert.deepEqual(await f(), ["error: bad batch", "ok: ran anyway"]);
  });

  it("map runs one task per element, zipped, with unmapped constants and mapIndex recorded", async () => {
    const scale = task("scale", (n: number, by: number, label: string) => `${label}${n * by}`);
    const f = flow("maps", async () => {
      const futures = scale.map([1, 2, 3], unmapped(10), "x");
      assert.ok(futures instanceof TaskFutureList);
      assert.equal(futures.length, 3);
      return futures.result();
    });
    assert.deepEqual(await f(), ["x10", "x20", "x30"]);
    const runs = [...(await taskRunsByName("maps")).values()].sort((a, b) => (a.mapIndex ?? 0) - (b.mapIndex ?? 0));
    assert.deepEqual(
      runs.map((r) => [r.mapIndex, r.result]),
      [
        [0, "x10"],
        [1, "x20"],
        [2, "x30"],
      ],
    );
  });

  it("maps over a TaskFutureList element-wise, each run waiting for its own upstream", async () => {
    const inc = task("inc", (n: number) => n + 1);
    const f = flow("chained-map", async () => {
      const first = inc.map([1, 2]);
      return inc.map(first).result();
    });
    assert.deepEqual(await f(), [3, 4]);
    const runs = await taskRunsByName("chained-map");
    assert.deepEqual(runs.get("inc-2")?.upstreamTaskRunIds, [runs.get("inc-0")!.id]);
    assert.deepEqual(runs.get("inc-3")?.upstreamTaskRunIds, [runs.get("inc-1")!.id]);
  });

  it("map refuses iterables of different lengths and a call with nothing to map", async () => {
    const add = task("add", (a: number, b: number) => a + b);
    await flow("bad-map", async () => {
      assert.throws(() => add.map([1, 2], [1]), /argument 1 has 2 items, argument 2 has 1/);
      assert.throws(() => add.map(unmapped(1), unmapped(2)), /needs at least one iterable argument/);
    })();
  });

  it("TaskFutureList.result() rejects with the first failure in input order after all runs end", async () => {
    const check = task("check", async (n: number) => {
      if (n % 2 === 1) throw new Error(`odd ${n}`);
      return n;
    });
    let states: string[] = [];
    const f = flow("list-failure", async () => {
      const list = check.map([0, 1, 2, 3]);
      await assert.rejects(list.result(), /Task run 'check-1' failed: odd 1/);
      states = list.map((future: TaskFuture<number>) => future.state.name);
      return "caught";
    });
    assert.equal(await f(), "caught");
    assert.deepEqual(states, ["Completed", "Failed", "Completed", "Failed"]);
  });

  it("submit runs none of the task's code before it returns", async () => {
    const calls: string[] = [];
    const mark = task("mark", () => {
      calls.push("task");
    });
    await flow("deferred", async () => {
      const future = mark.submit();
      calls.push("after submit");
      await future.wait();
    })();
    assert.deepEqual(calls, ["after submit", "task"]);
  });
});
