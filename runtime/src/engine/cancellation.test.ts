import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, it } from "node:test";
import { RunCrashedError } from "../errors.js";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { runFlowEntrypoint } from "./entrypoint.js";
import { getRunContext } from "./run-context.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

describe("cancellation", () => {
  it("cancelling the run: flow Cancelling → Cancelled, running tasks Cancelled, even when they ignore the signal", async () => {
    const signals: AbortSignal[] = [];
    const ignoresSignal = task("ignores-signal", () => {
      signals.push(getRunContext().signal);
      return new Promise(() => undefined);
    });
    const cancelledHook: string[] = [];
    const long = flow("long", { onCancellation: (run, state) => void cancelledHook.push(`${run.name}:${state.name}`) }, async () => {
      await Promise.all([ignoresSignal.submit().result(), ignoresSignal.submit().result()]);
    });
    const controller = new AbortController();
    const bothRunning = rt.events.waitFor((e) => e.kind === "task-run" && e.run.name === "ignores-signal-1" && e.run.state.name === "Running");
    const finished = runFlowEntrypoint(long, {}, { signal: controller.signal });
    await bothRunning;
    controller.abort();
    const run = await finished;

    assert.equal(run.state.name, "Cancelled");
    assert.ok(signals.length === 2 && signals.every((s) => s.aborted), "every task's signal aborted");
    assert.deepEqual(
      (await rt.store.getStateHistory(run.id)).map((s) => s.name),
      ["Pending", "Running", "Cancelling", "Cancelled"],
    );
    const taskRuns = await rt.store.getTaskRuns(run.id);
    assert.deepEqual(
      taskRuns.map((t) => t.state.name),
      ["Cancelled", "Cancelled"],
    );
    assert.deepEqual(cancelledHook, [`${run.name}:Cancelled`]);
  });

  it("a RunCrashedError on the signal (a shared runner ending a run) ends it Crashed: no Cancelling, hooks onCrashed, what runs under it cancelled", async () => {
    const hangs = task("hangs", () => new Promise(() => undefined));
    const child = flow("child-of-crashed", async () => {
      await hangs();
    });
    const hooks: string[] = [];
    const parent = flow(
      "crashes",
      { onCrashed: (_run, state) => void hooks.push(`crashed:${state.message}`), onCancellation: () => void hooks.push("cancelled") },
      async () => {
        await Promise.all([hangs(), child()]);
      },
    );
    const controller = new AbortController();
    // Both `hangs` task runs (the parent's and the subflow's) have started.
    let running = 0;
    const bothRunning = rt.events.waitFor((e) => e.kind === "task-run" && e.run.state.name === "Running" && ++running === 2);
    const finished = runFlowEntrypoint(parent, {}, { signal: controller.signal });
    await bothRunning;
    controller.abort(new RunCrashedError("The flow called process.exit(1)."));
    const run = await finished;

    assert.equal(run.state.name, "Crashed");
    assert.equal(run.state.message, "The flow called process.exit(1).");
    assert.deepEqual((await rt.store.getStateHistory(run.id)).map((s) => s.name), ["Pending", "Running", "Crashed"]);
    assert.deepEqual(hooks, ["crashed:The flow called process.exit(1)."]);
    const subflow = (await rt.store.listFlowRuns({ flowName: "child-of-crashed" }))[0]!;
    assert.equal(subflow.state.name, "Cancelled");
    assert.match(subflow.state.message ?? "", /^The parent flow run crashed: The flow called process\.exit\(1\)\.$/);
    assert.deepEqual((await rt.store.getTaskRuns(run.id)).map((t) => t.state.name), ["Cancelled"]);
  });

  it("a flow called with an aborted signal is Cancelled before its body runs", async () => {
    let ran = false;
    const f = flow("never-runs", async () => {
      ran = true;
    });
    const run = await runFlowEntrypoint(f, {}, { signal: AbortSignal.abort() });
    assert.equal(run.state.name, "Cancelled");
    assert.equal(ran, false);
  });

  it("cancellation reaches subflows, and a retry wait", async () => {
    const failing = task("failing", { retries: 3, retryDelaySeconds: 100 }, async () => {
      throw new Error("again");
    });
    const child = flow("cancelled-child", async () => failing());
    const parent = flow("cancelled-parent", async () => child());
    const controller = new AbortController();
    const finished = runFlowEntrypoint(parent, {}, { signal: controller.signal });
    await rt.clock.whenSleeping();
    controller.abort();
    const run = await finished;
    assert.equal(run.state.name, "Cancelled");
    const [childRun] = await rt.store.getSubflowRuns(run.id);
    assert.equal(childRun?.state.name, "Cancelled");
    const [taskRun] = await rt.store.getTaskRuns(childRun!.id);
    assert.equal(taskRun?.state.name, "Cancelled");
    assert.equal(rt.clock.sleeping, 0, "the retry wait was abandoned");
  });

  it("a subflow that never settles is Cancelled with its parent", async () => {
    const hang = flow("hang", async () => new Promise(() => undefined));
    const controller = new AbortController();
    const started = rt.events.waitFor((e) => e.kind === "flow-run" && e.run.flowName === "hang" && e.run.state.name === "Running");
    const call = hang.withOptions({ returnState: true });
    const outer = flow("outer", async () => call());
    const finished = runFlowEntrypoint(outer, {}, { signal: controller.signal });
    await started;
    controller.abort();
    const run = await finished;
    assert.equal(run.state.name, "Cancelled");
    const [child] = await rt.store.getSubflowRuns(run.id);
    assert.equal(child?.state.name, "Cancelled");
  });

  it("a parent fanned out to 50 subflows listens with one listener on its signal, and cancelling it cancels each", async () => {
    const hang = flow("fanned-hang", async () => new Promise(() => undefined)).withOptions({ returnState: true });
    let parentSignal: AbortSignal | undefined;
    let running = 0;
    const allRunning = rt.events.waitFor((e) => e.kind === "flow-run" && e.run.flowName === "fanned-hang" && e.run.state.name === "Running" && ++running === 50);
    const fanned = flow("fanned-parent", async () => {
      parentSignal = getRunContext().signal;
      return Promise.all(Array.from({ length: 50 }, () => hang()));
    });
    const controller = new AbortController();
    const finished = runFlowEntrypoint(fanned, {}, { signal: controller.signal });
    await allRunning;
    // One listener per child would be 50 (Node warns of a leak past 10, and adding each is linear in those there).
    assert.equal(getEventListeners(parentSignal!, "abort").length, 1);
    controller.abort();
    const run = await finished;
    assert.equal(run.state.name, "Cancelled");
    const children = await rt.store.getSubflowRuns(run.id);
    assert.deepEqual(
      children.map((child) => child.state.name),
      Array.from({ length: 50 }, () => "Cancelled"),
    );
  });

  it("a task the body starts after the run was cancelled does not run and is recorded Cancelled", async () => {
    let ran = false;
    const late = task("late", () => {
      ran = true;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let lateError: (Error & { stateName?: string }) | undefined;
    const f = flow("keeps-going", async () => {
      await gate; // not a task: the engine cannot stop this await, only stop waiting for it
      await late().catch((error: Error) => (lateError = error));
    });
    const controller = new AbortController();
    const started = rt.events.waitFor((e) => e.kind === "flow-run" && e.run.state.name === "Running");
    const finished = runFlowEntrypoint(f, {}, { signal: controller.signal });
    await started;
    controller.abort();
    const run = await finished;
    assert.equal(run.state.name, "Cancelled");
    const lateCancelled = rt.events.waitFor((e) => e.kind === "task-run" && e.run.name === "late-0" && e.run.state.name === "Cancelled");
    release();
    await lateCancelled;
    assert.equal(ran, false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lateError?.stateName, "Cancelled");
  });
});
