import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { getRunLogger } from "./run-context.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

describe("hooks", () => {
  it("flow hooks: onRunning then onCompletion, each with the run record and its state", async () => {
    const calls: string[] = [];
    const f = flow(
      "hooked",
      {
        onRunning: (run, state) => void calls.push(`running:${run.flowName}:${state.name}`),
        onCompletion: [(run, state) => void calls.push(`completed:${state.name}:${String(run.result)}`), async () => void calls.push("second")],
        onFailure: () => void calls.push("failure"),
      },
      async () => 42,
    );
    await f();
    assert.deepEqual(calls, ["running:hooked:Running", "completed:Completed:42", "second"]);
  });

  it("flow onFailure runs for a failed run, and onRunning again for each retry", async () => {
    const calls: string[] = [];
    const f = flow(
      "hooked-failure",
      {
        retries: 1,
        onRunning: (_run, state) => void calls.push(state.name),
        onFailure: (_run, state) => void calls.push(`failure:${state.message}`),
      },
      async () => {
        throw new Error("nope");
      },
    );
    await assert.rejects(f());
    assert.deepEqual(calls, ["Running", "Retrying", "failure:nope"]);
  });

  it("task hooks: onCompletion and onFailure", async () => {
    const calls: string[] = [];
    const hooks = {
      onCompletion: (run: { name: string }) => void calls.push(`done:${run.name}`),
      onFailure: (run: { name: string }, state: { message?: string }) => void calls.push(`failed:${run.name}:${state.message}`),
    };
    const good = task("good", hooks, () => 1);
    const bad = task("bad", hooks, () => {
      throw new Error("broken");
    });
    await flow("task-hooks", async () => {
      await good();
      await bad().catch(() => undefined);
    })();
    assert.deepEqual(calls, ["done:good-0", "failed:bad-0:broken"]);
  });

  it("a throwing hook is logged to the run's log and does not change its state", async () => {
    const f = flow(
      "bad-hook",
      {
        onCompletion: function explode() {
          throw new Error("hook blew up");
        },
      },
      async () => "fine",
    );
    assert.equal(await f(), "fine");
    const [run] = await rt.store.listFlowRuns({ flowName: "bad-hook" });
    assert.equal(run?.state.name, "Completed");
    const logs = await rt.store.getLogs(run!.id);
    const line = logs.find((l) => l.level === "error");
    assert.match(line?.message ?? "", /The onCompletion hook `explode` threw and was ignored: Error: hook blew up/);
  });

  it("hooks run in the run's context, so getRunLogger works in them", async () => {
    const t = task("logs-in-hook", { onCompletion: () => getRunLogger().info("from the task hook") }, () => 1);
    await flow("hook-logger", async () => t())();
    const [run] = await rt.store.listFlowRuns({ flowName: "hook-logger" });
    const [taskRun] = await rt.store.getTaskRuns(run!.id);
    const logs = await rt.store.getLogs(run!.id);
    const line = logs.find((l) => l.message === "from the task hook");
    assert.equal(line?.taskRunId, taskRun?.id);
  });
});
