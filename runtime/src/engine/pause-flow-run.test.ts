import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { makeState } from "../states.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { runFlowEntrypoint } from "./entrypoint.js";
import { pauseFlowRun } from "./pause-flow-run.js";
import type { RunEvent } from "./run-events.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";
import path from "node:path";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

const pausedEvent = (e: RunEvent) => e.kind === "flow-run" && e.run.state.name === "Paused";

/** Resumes the run as `tributary flow-run resume` does: from another connection to the store file. */
async function resumeFromAnotherConnection(runId: string): Promise<boolean> {
  const other = openSqliteStore(path.join(rt.dir, "t.db"));
  try {
    return await other.transitionFlowRunIf(runId, "PAUSED", makeState("Running", rt.clock.now(), "Resumed."));
  } finally {
    await other.close();
  }
}

/** Waits until the paused flow sleeps between two reads of its state, then lets it read. */
async function nextPoll(): Promise<void> {
  await rt.clock.whenSleeping();
  rt.clock.advanceToNextSleep();
}

async function historyOf(id: string): Promise<string[]> {
  return (await rt.store.getStateHistory(id)).map((s) => s.name);
}

describe("pauseFlowRun", () => {
  it("pauses the run until another process resumes it through the store, then the flow completes", async () => {
    let after = false;
    const approve = flow("approve", async () => {
      await pauseFlowRun({ timeoutSeconds: 60 });
      after = true;
      return "done";
    });
    const paused = rt.events.waitFor(pausedEvent);
    const finished = runFlowEntrypoint(approve, {});
    const event = await paused;
    assert.equal(event.kind, "flow-run");
    const id = event.kind === "flow-run" ? event.run.id : "";
    assert.match(event.kind === "flow-run" ? event.run.state.message ?? "" : "", /^Paused until 2024-01-01T00:01:00\.000Z; resume it with `tributary flow-run resume [0-9a-f]{8}`/);
    assert.equal((await rt.store.getFlowRun(id))?.state.name, "Paused", "the Paused state is committed while the flow waits");

    await nextPoll();
    assert.equal(after, false, "still paused: nobody resumed it");
    assert.equal(await resumeFromAnotherConnection(id), true);
    await nextPoll();
    const run = await finished;

    assert.equal(run.state.name, "Completed");
    assert.equal(after, true);
    assert.deepEqual(await historyOf(id), ["Pending", "Running", "Paused", "Running", "Completed"]);
    assert.ok(rt.seen.some((e) => e.kind === "flow-run" && e.run.id === id && e.run.state.name === "Running" && e.run.state.message === "Resumed."), "the resume is reported as a run event");
  });

  it("fails the run when nobody resumes it within timeoutSeconds, naming the timeout; a later resume is refused", async () => {
    const waits = flow("waits", async () => {
      await pauseFlowRun({ timeoutSeconds: 3 });
    });
    const paused = rt.events.waitFor(pausedEvent);
    const finished = runFlowEntrypoint(waits, {});
    await paused;
    for (let i = 0; i < 3; i++) await nextPoll();
    const run = await finished;

    assert.equal(run.state.name, "Failed");
    assert.match(run.state.message ?? "", /was paused for 3 s and nobody resumed it/);
    assert.deepEqual(await historyOf(run.id), ["Pending", "Running", "Paused", "Running", "Failed"]);
    assert.equal(await resumeFromAnotherConnection(run.id), false, "a run whose pause timed out is not Paused any more");
  });

  it("pauses once per key: the same key again, and a retry of the flow, pass through", async () => {
    let attempts = 0;
    const keyed = flow("keyed", { retries: 1 }, async () => {
      attempts++;
      await pauseFlowRun({ key: "approve" });
      await pauseFlowRun({ key: "approve" });
      await pauseFlowRun(); // keyed "1": the first pause of an attempt without a key
      if (attempts === 1) throw new Error("first attempt fails after its pauses");
    });
    const finished = runFlowEntrypoint(keyed, {});
    for (let pause = 0; pause < 2; pause++) {
      const event = await rt.events.waitFor((e) => pausedEvent(e) && rt.seen.filter(pausedEvent).length === pause + 1);
      await resumeFromAnotherConnection(event.kind === "flow-run" ? event.run.id : "");
      await nextPoll();
    }
    const run = await finished;

    assert.equal(run.state.name, "Completed");
    assert.equal(attempts, 2);
    assert.deepEqual(await historyOf(run.id), ["Pending", "Running", "Paused", "Running", "Paused", "Running", "AwaitingRetry", "Retrying", "Completed"]);
  });

  it("is cancelled with its run while paused", async () => {
    const waits = flow("waits-cancelled", async () => {
      await pauseFlowRun();
    });
    const controller = new AbortController();
    const paused = rt.events.waitFor(pausedEvent);
    const finished = runFlowEntrypoint(waits, {}, { signal: controller.signal });
    await paused;
    controller.abort();
    const run = await finished;
    assert.equal(run.state.name, "Cancelled");
    assert.deepEqual(await historyOf(run.id), ["Pending", "Running", "Paused", "Cancelling", "Cancelled"]);
  });

  it("refuses outside a flow run, inside a task, and bad options, saying why", async () => {
    await assert.rejects(pauseFlowRun(), { name: "TributaryError", code: "NO_RUN_CONTEXT", message: /outside a flow run/ });
    await assert.rejects(pauseFlowRun({ timeoutSeconds: -1 }), { name: "InvalidOptionError", message: /Expected `timeoutSeconds` to be a positive number of seconds, got `-1`/ });
    const inTask = task("pauses-in-task", () => pauseFlowRun());
    const f = flow("pauses-through-a-task", async () => {
      await inTask();
    });
    const run = await runFlowEntrypoint(f, {});
    assert.equal(run.state.name, "Failed");
    assert.match(run.state.message ?? "", /only a flow's own code can pause its run/);
  });
});
