import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { RunEvent } from "../../engine/run-events.js";
import { newRunId } from "../../store/run-ids.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { removeWorkspace } from "../../test-support/remove-workspace.js";
import type { RunProgress } from "../render/progress.js";
import { repoRoot } from "../test-support/cli-workspace.js";
import { bundleFlowFile } from "./bundle-flow-file.js";
import type { ChildMessage } from "./child-protocol.js";
import { ChildRun } from "./child-run.js";
import { parseRunTarget } from "./run-target.js";

// A burst of 100 tasks in one go (the loop never yields the event loop), then a wait that only a kill ends.
const BURST_FLOW = `import { flow, task } from "tributaryjs";
const step = task("step", async (i: number) => i + 1);
export const burst = flow("burst", async ({ hang }: { hang: boolean }) => {
  let total = 0;
  for (let i = 0; i < 100; i++) total += await step(i);
  if (hang) await new Promise(() => undefined);
  return total;
});
`;

/** Progress that keeps what it is given, and resolves `seen` once `until` holds for an event. */
function recordingProgress(until: (event: RunEvent) => boolean): { progress: RunProgress; events: RunEvent[]; seen: Promise<void> } {
  const events: RunEvent[] = [];
  let resolveSeen!: () => void;
  const seen = new Promise<void>((resolve) => (resolveSeen = resolve));
  const progress: RunProgress = {
    onEvent: (event) => {
      events.push(event);
      if (until(event)) resolveSeen();
    },
    onOutput: () => undefined,
    note: () => undefined,
    stop: () => undefined,
  };
  return { progress, events, seen };
}

describe("a flow's run events on their way from the child to `tributary run`", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-child-batches-"));
  after(() => removeWorkspace(dir));
  writeFileSync(path.join(dir, "burst.ts"), BURST_FLOW);
  const storePath = path.join(dir, "tributary.db");

  async function startBurst(hang: boolean, until: (event: RunEvent) => boolean) {
    const bundle = await bundleFlowFile(parseRunTarget("burst.ts", dir), path.join(repoRoot, "runtime/dist/index.js"));
    // Forked here, so that the test can count the messages the child sends.
    const child = fork(path.join(repoRoot, "runtime/dist/cli/run-child.js"), [], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      execArgv: [],
    });
    const eventMessages: number[] = [];
    child.on("message", (message: ChildMessage) => {
      if (message.type === "events") eventMessages.push(message.events.length);
    });
    const recorded = recordingProgress(until);
    const flowRunId = newRunId();
    const run = new ChildRun({
      runnerFile: "",
      process: child,
      start: { type: "start", bundle: bundle.file, displayFile: "burst.ts", file: "burst.ts", parameters: { hang }, flowRunId, storePath },
      progress: recorded.progress,
      cwd: dir,
      env: process.env,
    });
    return { run, child, bundle, flowRunId, eventMessages, ...recorded };
  }

  it("arrives in fewer IPC messages than events, every event in order", async () => {
    const { run, bundle, flowRunId, eventMessages, events } = await startBurst(false, () => false);
    try {
      const outcome = await run.outcome;
      assert.equal(outcome.kind, "finished", JSON.stringify(outcome));
      const taskEvents = events.filter((event) => event.kind === "task-run");
      assert.equal(taskEvents.length, 300, "Pending, Running and Completed of each of the 100 task runs");
      assert.deepEqual(
        taskEvents.map((event) => (event.kind === "task-run" ? `${event.run.name} ${event.run.state.name}` : "")),
        Array.from({ length: 100 }, (_, i) => [`step-${i} Pending`, `step-${i} Running`, `step-${i} Completed`]).flat(),
      );
      const flowStates = events.flatMap((event) => (event.kind === "flow-run" && event.run.id === flowRunId ? [event.run.state.name] : []));
      assert.deepEqual(flowStates, ["Pending", "Running", "Completed"]);
      const sent = eventMessages.reduce((sum, n) => sum + n, 0);
      assert.equal(sent, events.length);
      assert.ok(eventMessages.length < events.length / 10, `${events.length} events came in ${eventMessages.length} messages`);
    } finally {
      await bundle.dispose();
    }
  });

  it("a child killed right after a burst: every transition it reported is stored once the parent writes what it lacks", async () => {
    const lastTask = (event: RunEvent) => event.kind === "task-run" && event.run.name === "step-99" && event.run.state.name === "Completed";
    const { run, bundle, flowRunId, seen } = await startBurst(true, lastTask);
    try {
      await seen;
      run.kill();
      const outcome = await run.outcome;
      assert.equal(outcome.kind, "died");
      const store = openSqliteStore(storePath);
      try {
        await run.reported.writeMissing(store);
        const taskRuns = await store.getTaskRuns(flowRunId);
        assert.equal(taskRuns.length, 100);
        assert.ok(
          taskRuns.every((taskRun) => taskRun.state.name === "Completed"),
          "every task run the child reported Completed is stored Completed",
        );
        assert.equal((await store.getFlowRun(flowRunId))?.state.name, "Running");
      } finally {
        await store.close();
      }
    } finally {
      await bundle.dispose();
    }
  });
});
