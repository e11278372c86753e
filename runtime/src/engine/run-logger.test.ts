import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { getRunContext, getRunLogger } from "./run-context.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

describe("run logger and context", () => {
  it("stores lines with the flow run or task run they come from, and emits them as log events", async () => {
    const load = task("load", (rows: number) => {
      getRunLogger().warning("loading %d rows", rows);
    });
    const f = flow("logging", async () => {
      getRunLogger().info("starting");
      await load(3);
      getRunLogger().debug({ done: true });
    });
    await f();
    const [run] = await rt.store.listFlowRuns({ flowName: "logging" });
    const [taskRun] = await rt.store.getTaskRuns(run!.id);
    const lines = (await rt.store.getLogs(run!.id)).map((l) => [l.level, l.message, l.taskRunId]);
    assert.deepEqual(lines, [
      ["info", "starting", undefined],
      ["warning", "loading 3 rows", taskRun!.id],
      ["debug", "{ done: true }", undefined],
    ]);
    const emitted = rt.seen.flatMap((e) => (e.kind === "log" ? [e.log.message] : []));
    assert.deepEqual(emitted, ["starting", "loading 3 rows", "{ done: true }"]);
  });

  it("throws a clear TributaryError outside a run", () => {
    assert.throws(
      () => getRunLogger(),
      (error: Error & { code?: string }) => error.name === "TributaryError" && error.code === "NO_RUN_CONTEXT" && /outside a run/.test(error.message),
    );
    assert.throws(() => getRunContext(), /There is no run context here/);
  });

  it("getRunContext tells the flow and task run, the parameters and the signal", async () => {
    const seen: Record<string, unknown>[] = [];
    const inspect = task("inspect", () => {
      const c = getRunContext();
      seen.push({ flowName: c.flowName, taskName: c.taskName, taskRunName: c.taskRunName, parameters: c.parameters, aborted: c.signal.aborted });
    });
    const f = flow("contextual", async (_p: { day: string }) => {
      const c = getRunContext();
      seen.push({ flowName: c.flowName, taskRunId: c.taskRunId, flowRunId: c.flowRunId });
      await inspect();
    });
    await f({ day: "mon" });
    const [run] = await rt.store.listFlowRuns({ flowName: "contextual" });
    assert.deepEqual(seen, [
      { flowName: "contextual", taskRunId: undefined, flowRunId: run!.id },
      { flowName: "contextual", taskName: "inspect", taskRunName: "inspect-0", parameters: { day: "mon" }, aborted: false },
    ]);
  });

  it("logs a failed task's error to its run log", async () => {
    const bad = task("bad", () => {
      throw new Error("bad input");
    });
    await assert.rejects(flow("failure-logged", async () => bad())());
    const [run] = await rt.store.listFlowRuns({ flowName: "failure-logged" });
    const errors = (await rt.store.getLogs(run!.id)).filter((l) => l.level === "error");
    assert.ok(errors.some((l) => l.taskRunId !== undefined && /Failed: Error: bad input/.test(l.message)));
    assert.ok(errors.some((l) => l.taskRunId === undefined && /Failed:/.test(l.message)));
  });

  it("logs a trace once: the flow's failure names the failed task run's log instead of repeating the trace", async () => {
    const bad = task("bad-twice", () => {
      throw new Error("bad input");
    });
    await assert.rejects(flow("failure-logged-once", async () => bad())());
    await assert.rejects(
      flow("own-failure-logged", async () => {
        throw new Error("the flow's own");
      })(),
    );
    const [once] = await rt.store.listFlowRuns({ flowName: "failure-logged-once" });
    const flowLines = (await rt.store.getLogs(once!.id)).filter((l) => l.level === "error" && l.taskRunId === undefined).map((l) => l.message);
    assert.deepEqual(flowLines, ["Failed: Task run 'bad-twice-0' failed: bad input (see the task run's log)"]);
    const [own] = await rt.store.listFlowRuns({ flowName: "own-failure-logged" });
    const ownLines = (await rt.store.getLogs(own!.id)).filter((l) => l.level === "error").map((l) => l.message);
    assert.equal(ownLines.length, 1);
    assert.match(ownLines[0]!, /^Failed: Error: the flow's own\n {4}at /, "an error of the flow's own code keeps its trace");
  });
});
