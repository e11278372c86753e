/**
 * The fence on a run's process's writes (records.ts, RunFence), on every backend: two stores on one
 * database stand for the server and the run's process, as two processes would.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { makeState, type StateName } from "../states.js";
import type { FlowRunRecord, RefusedRun, TaskRunRecord } from "./records.js";
import type { Store } from "./store.js";
import type { TributaryEvent } from "../orchestrator/contract.js";
import { storeBackends, type TestStore } from "../test-support/store-backends.js";

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

function flowRun(id: string, state: StateName, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return { id, name: `name-${id}`, flowName: "etl", state: makeState(state, at(0)), parameters: {}, tags: [], runCount: 0, createdAt: at(0).toISOString(), ...overrides };
}

function taskRun(id: string, flowRunId: string, state: StateName): TaskRunRecord {
  return { id, flowRunId, name: `${id}-0`, taskName: id, state: makeState(state, at(1)), attempts: 1, tags: [], upstreamTaskRunIds: [], createdAt: at(1).toISOString() };
}

/** Collects what `store` reports refused. */
function refusals(store: Store): RefusedRun[] {
  const seen: RefusedRun[] = [];
  store.onWritesRefused((refused) => seen.push(...refused));
  return seen;
}

for (const backend of storeBackends()) {
  describe(`Store fence on ${backend.name}: a run's process cannot overwrite what the server decided`, { skip: backend.skip }, () => {
    let opened: TestStore;
    let server: Store;
    let child: Store;
    before(async () => {
      opened = await backend.open();
      server = opened.store;
      child = await opened.reopen();
    });
    after(async () => {
      await opened.dispose();
    });

    it("refuses the process's Completed after the server crashed the run, with its history, and reports it", async () => {
      const refused = refusals(child);
      child.createFlowRun(flowRun("crashed", "Running", { runCount: 1 }));
      child.createTaskRun(taskRun("crashed-task", "crashed", "Running"));
      await child.flush();
      await server.markRunCrashed("crashed", "Its heartbeat stopped.", at(5));

      const fence = { flowRunId: "crashed", epoch: 0 };
      child.updateTaskRun("crashed-task", { state: makeState("Completed", at(6)), endTime: at(6).toISOString() }, fence);
      child.updateFlowRun("crashed", { state: makeState("Completed", at(6)), endTime: at(6).toISOString(), result: 42 }, fence);
      await child.flush();

      const run = await server.getFlowRun("crashed");
      assert.deepEqual([run?.state.name, run?.state.message, run?.result], ["Crashed", "Its heartbeat stopped.", undefined]);
      assert.deepEqual((await server.getStateHistory("crashed")).map((state) => state.name), ["Running", "Crashed"]);
      assert.equal((await server.getTaskRun("crashed-task"))?.state.name, "Crashed");
      assert.deepEqual((await server.getStateHistory("crashed-task")).map((state) => state.name), ["Running", "Crashed"]);
      assert.deepEqual(
        refused.map((each) => [each.flowRunId, each.epoch, each.current?.state.name]),
        [["crashed", 0, "Crashed"]],
        "one report for the run, naming the state it has",
      );

      // What the process writes for that execution afterwards is dropped, and not reported again.
      child.updateFlowRun("crashed", { state: makeState("Failed", at(7)) }, fence);
      await child.flush();
      assert.equal((await server.getFlowRun("crashed"))?.state.name, "Crashed");
      assert.equal(refused.length, 1);
    });

    it("applies the process's writes while the run is its execution's, and the server's writes always", async () => {
      const refused = refusals(child);
      server.createFlowRun(flowRun("live", "Pending"));
      await server.flush();
      const fence = { flowRunId: "live", epoch: 0 };
      child.updateFlowRun("live", { state: makeState("Running", at(1)), runCount: 1 }, fence);
      await child.flush();
      child.createTaskRun(taskRun("live-task", "live", "Running"));
      await child.flush();
      // The task's Completed and the run's in one batch: the task is judged by its run as the batch found it.
      child.updateTaskRun("live-task", { state: makeState("Completed", at(2)) }, fence);
      child.updateFlowRun("live", { state: makeState("Completed", at(2)), endTime: at(2).toISOString() }, fence);
      await child.flush();
      assert.equal((await server.getFlowRun("live"))?.state.name, "Completed");
      assert.equal((await server.getTaskRun("live-task"))?.state.name, "Completed");
      assert.deepEqual((await server.getStateHistory("live")).map((state) => state.name), ["Pending", "Running", "Completed"]);
      assert.deepEqual(refused, []);

      // The server may move a final run (a retry); its unfenced write is not the process's.
      server.updateFlowRun("live", { state: makeState("Scheduled", at(3), "Retry requested.") });
      await server.flush();
      assert.equal((await server.getFlowRun("live"))?.state.name, "Scheduled");
    });

    it("refuses an earlier execution's writes once the run was rescheduled and claimed again", async () => {
      const refused = refusals(child);
      server.createFlowRun(flowRun("retried", "Scheduled", { deploymentId: "dep-1" }));
      await server.flush();
      assert.equal(await server.claimDueRun("retried", { at: at(1), workerName: "box-1", epoch: 0, tags: [] }), "claimed");
      const first = { flowRunId: "retried", epoch: 0 };
      child.updateFlowRun("retried", { state: makeState("Running", at(2)), runCount: 1, retryBudget: { left: 1, delayMs: 0 } }, first);
      await child.flush();

      // Its heartbeat looked stale: another server crashed it and its retries cover it, so it is
      // Scheduled again as a new execution, which a worker claims.
      const retry = { message: "Crashed; retried at once: gone", startAt: at(3), budget: { left: 0, delayMs: 0, carried: true as const }, seenStateAt: at(2).toISOString() };
      await server.endAbandonedRun("retried", { state: "Crashed", message: "gone", retry }, at(3));
      const rescheduled = await server.getFlowRun("retried");
      assert.deepEqual([rescheduled?.state.name, rescheduled?.epoch], ["Scheduled", 1]);
      assert.equal(await server.claimDueRun("retried", { at: at(4), workerName: "box-2", epoch: 1, tags: [] }), "claimed");
      const second = { flowRunId: "retried", epoch: 1 };
      child.updateFlowRun("retried", { state: makeState("Retrying", at(5)), runCount: 2 }, second);
      await child.flush();

      // The first execution's process was only slow: its Completed must not land in the second.
      const zombie = await opened.reopen();
      const zombieRefused = refusals(zombie);
      zombie.updateFlowRun("retried", { state: makeState("Completed", at(6)), endTime: at(6).toISOString() }, first);
      await zombie.flush();
      const run = await server.getFlowRun("retried");
      assert.deepEqual([run?.state.name, run?.runCount, run?.endTime], ["Retrying", 2, undefined]);
      assert.deepEqual((await server.getStateHistory("retried")).map((state) => state.name), ["Scheduled", "Running", "Scheduled", "Retrying"]);
      assert.deepEqual(
        zombieRefused.map((each) => [each.flowRunId, each.epoch, each.current?.state.name, each.current?.epoch]),
        [["retried", 0, "Retrying", 1]],
      );
      assert.deepEqual(refused, [], "the second execution's writes apply");

      // The second execution finishes.
      child.updateFlowRun("retried", { state: makeState("Completed", at(7)), endTime: at(7).toISOString() }, second);
      await child.flush();
      assert.equal((await server.getFlowRun("retried"))?.state.name, "Completed");
    });

    it("keeps a batch's events and other runs' writes when one run's write is refused", async () => {
      const refused = refusals(child);
      server.createFlowRun(flowRun("cancelled", "Running"));
      server.createFlowRun(flowRun("other", "Running"));
      await server.flush();
      assert.equal(await server.transitionFlowRunIf("cancelled", "RUNNING", makeState("Cancelled", at(2), "Cancelled by hand.")), true);
      child.updateFlowRun("cancelled", { state: makeState("Completed", at(3)) }, { flowRunId: "cancelled", epoch: 0 });
      child.updateFlowRun("other", { state: makeState("Completed", at(3)) }, { flowRunId: "other", epoch: 0 });
      const event: TributaryEvent = {
        id: "event-fence-1",
        occurred: at(3).toISOString(),
        event: "tributary.test.fence",
        resource: { id: "tributary.test.fence" },
        payload: {},
      };
      child.appendEvent(event);
      await child.flush();
      assert.equal((await server.getFlowRun("cancelled"))?.state.name, "Cancelled");
      assert.equal((await server.getFlowRun("other"))?.state.name, "Completed");
      assert.deepEqual((await server.getStateHistory("cancelled")).map((state) => state.name), ["Running", "Cancelled"]);
      assert.deepEqual((await server.listEvents({ event: "tributary.test.fence" })).map((each) => each.id), ["event-fence-1"]);
      assert.deepEqual(refused.map((each) => [each.flowRunId, each.current?.state.name]), [["cancelled", "Cancelled"]]);
    });

    it("raises the epoch of a run retried by hand, refusing its old process", async () => {
      const refused = refusals(child);
      server.createFlowRun(flowRun("by-hand", "Crashed", { deploymentId: "dep-1" }));
      await server.flush();
      assert.equal(await server.transitionFlowRunIf("by-hand", "CRASHED", makeState("Scheduled", at(2), "Retry requested."), { newEpoch: true }), true);
      assert.equal((await server.getFlowRun("by-hand"))?.epoch, 1);
      child.updateFlowRun("by-hand", { state: makeState("Completed", at(3)) }, { flowRunId: "by-hand", epoch: 0 });
      await child.flush();
      assert.equal((await server.getFlowRun("by-hand"))?.state.name, "Scheduled");
      assert.deepEqual(refused.map((each) => each.flowRunId), ["by-hand"]);
    });
  });
}
