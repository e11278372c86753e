import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ManualClock } from "../engine/manual-clock.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { ServerWorkspace } from "./test-support/server-harness.js";

const start = new Date("2026-03-01T10:30:00.000Z");

describe("the scheduler", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  after(() => workspace.dispose());

  it("creates the next runs ahead of time, never twice across a restart, and marks missed ones Late", async () => {
    const clock = new ManualClock(start);
    // No worker: runs stay Scheduled, so lateness can be seen.
    let server = await workspace.start({ clock, worker: undefined, scheduler: { runsAhead: 3, lateAfterMs: 15_000 } });
    await server.register([{ name: "add/hourly", export: "add", schedules: [{ interval: "1h" }] }]);
    await server.server.scheduler!.nextPass();
    const scheduled = async () =>
      (await server.store.listFlowRuns({ flowName: "add", sort: "created-asc", limit: 100 })).map((run) => [run.expectedStartTime, run.state.name]);
    assert.deepEqual(await scheduled(), [
      ["2026-03-01T11:00:00.000Z", "Scheduled"],
      ["2026-03-01T12:00:00.000Z", "Scheduled"],
      ["2026-03-01T13:00:00.000Z", "Scheduled"],
    ]);

    await server.close();
    server = await workspace.start({ clock, worker: undefined, scheduler: { runsAhead: 3, lateAfterMs: 15_000 } });
    await server.server.scheduler!.nextPass();
    assert.equal((await scheduled()).length, 3, "a restart makes no duplicates");

    // 11:00 passes: the window moves on by one run; 15 s later the 11:00 run is Late.
    await server.subscribe();
    clock.advance(30 * 60_000 + 1);
    await server.server.scheduler!.nextPass();
    assert.deepEqual((await scheduled()).map(([time]) => time), [
      "2026-03-01T11:00:00.000Z",
      "2026-03-01T12:00:00.000Z",
      "2026-03-01T13:00:00.000Z",
      "2026-03-01T14:00:00.000Z",
    ]);
    clock.advance(15_000);
    const late = await server.waitForEvent((e) => e.event === "tributary.flow-run.Late");
    assert.match(String((late.payload as { state: { message?: string } }).state.message), /Expected to start at 2026-03-01T11:00:00.000Z/);
    assert.deepEqual((await scheduled()).map(([, state]) => state), ["Late", "Scheduled", "Scheduled", "Scheduled"]);

    await server.close();

    const store = openSqliteStore(workspace.dbPath);
    const keys = (await store.listFlowRuns({ limit: 100 })).map((run) => run.idempotencyKey);
    assert.equal(new Set(keys).size, keys.length);
    await store.close();
  });

  it("anchors an RRULE without DTSTART once, at the deployment's creation: times and keys stay put as it wakes and restarts", async () => {
    // Registered at 09:00:20.500 (manual clock): the rule runs at :20 past every minute, whenever it wakes.
    const clock = new ManualClock(new Date("2026-03-02T09:00:20.500Z"));
    const options = { clock, worker: undefined, scheduler: { runsAhead: 3, lateAfterMs: 3_600_000 } };
    let server = await workspace.start(options);
    try {
      await server.register([{ name: "add/minutely", export: "add", schedules: [{ rrule: "FREQ=MINUTELY" }] }]);
      const deploymentId = (await server.store.getDeployment("add/minutely"))!.id;
      // This deployment's runs only: the store is shared with the other tests of this file.
      const runs = async () =>
        (await server.store.listFlowRuns({ deploymentId, sort: "created-asc", limit: 100 })).map((run) => [run.expectedStartTime, run.idempotencyKey]);
      const minute = (m: number) => {
        const time = `2026-03-02T09:${String(m).padStart(2, "0")}:20.000Z`;
        return [time, `schedule:${time}`];
      };
      await server.server.scheduler!.nextPass();
      assert.deepEqual(await runs(), [minute(1), minute(2), minute(3)]);

      // Six wakes 20 s apart (2 minutes): each passing time adds one run at the end, nothing else moves.
      for (let wake = 0; wake < 6; wake++) {
        clock.advance(20_000);
        await server.server.scheduler!.nextPass();
      }
      assert.deepEqual(await runs(), [minute(1), minute(2), minute(3), minute(4), minute(5)], "one run per minute, at :20");

      // A restart (the wall clock later still) keeps the anchor: the deployment carries it.
      await server.close();
      clock.advance(60_000);
      server = await workspace.start(options);
      await server.server.scheduler!.nextPass();
      assert.deepEqual(await runs(), [minute(1), minute(2), minute(3), minute(4), minute(5), minute(6)]);
    } finally {
      // A failed assertion must not leave the server running: the file would never exit.
      await server.close();
    }
  });

  it("pausing a deployment deletes its auto-scheduled runs and makes none; resuming schedules again; manual runs stay", async () => {
    const clock = new ManualClock(start);
    const server = await workspace.start({ clock, worker: undefined, scheduler: { runsAhead: 3, lateAfterMs: 15_000 } });
    try {
      await server.register([
        { name: "add/paused-hourly", export: "add", schedules: [{ interval: "1h" }] },
        { name: "add/other-hourly", export: "add", schedules: [{ interval: "1h" }] },
      ]);
      const route = `/api/deployments/${encodeURIComponent("add/paused-hourly")}`;
      const manual = await server.api<{ id: string }>("POST", `${route}/runs`, { scheduledTime: "2026-03-01T18:00:00.000Z" });
      assert.equal(manual.status, 201);
      await server.server.scheduler!.nextPass();
      const deploymentId = (await server.store.getDeployment("add/paused-hourly"))!.id;
      const runsOf = async (id: string) =>
        (await server.store.listFlowRuns({ deploymentId: id, limit: 100 }))
          .map((run) => [run.expectedStartTime!, run.state.name])
          .sort(([a], [b]) => (a < b ? -1 : 1));
      // 11:00 passes and turns Late: Late runs were auto-scheduled too, and go with the others.
      clock.advance(30 * 60_000 + 15_001);
      await server.server.scheduler!.nextPass();
      assert.deepEqual((await runsOf(deploymentId)).map(([, state]) => state), ["Late", "Scheduled", "Scheduled", "Scheduled", "Scheduled"]);

      assert.equal((await server.api("POST", `${route}/pause`)).status, 200);
      assert.deepEqual(await runsOf(deploymentId), [["2026-03-01T18:00:00.000Z", "Scheduled"]], "only the manual run is left");
      clock.advance(3 * 60 * 60_000);
      await server.server.scheduler!.nextPass();
      assert.deepEqual((await runsOf(deploymentId)).length, 1, "none made while paused");
      const otherId = (await server.store.getDeployment("add/other-hourly"))!.id;
      assert.equal((await runsOf(otherId)).filter(([, state]) => state === "Scheduled").length, 3, "another deployment keeps its runs");

      assert.equal((await server.api("POST", `${route}/resume`)).status, 200);
      await server.server.scheduler!.nextPass();
      assert.deepEqual(await runsOf(deploymentId), [
        ["2026-03-01T15:00:00.000Z", "Scheduled"],
        ["2026-03-01T16:00:00.000Z", "Scheduled"],
        ["2026-03-01T17:00:00.000Z", "Scheduled"],
        ["2026-03-01T18:00:00.000Z", "Scheduled"],
      ]);
    } finally {
      await server.close();
    }
  });
  it("changing a deployment's schedule deletes the runs the old one made and schedules by the new one; manual runs stay", async () => {
    const clock = new ManualClock(start);
    const server = await workspace.start({ clock, worker: undefined, scheduler: { runsAhead: 3, lateAfterMs: 15_000 } });
    try {
      await server.register([{ name: "add/rescheduled", export: "add", schedules: [{ interval: "1h" }] }]);
      const route = `/api/deployments/${encodeURIComponent("add/rescheduled")}`;
      assert.equal((await server.api("POST", `${route}/runs`, { scheduledTime: "2026-03-01T18:00:00.000Z" })).status, 201);
      await server.server.scheduler!.nextPass();
      const deploymentId = (await server.store.getDeployment("add/rescheduled"))!.id;
      const times = async () =>
        (await server.store.listFlowRuns({ deploymentId, limit: 100 })).map((run) => run.expectedStartTime!).sort();
      assert.deepEqual(await times(), ["2026-03-01T11:00:00.000Z", "2026-03-01T12:00:00.000Z", "2026-03-01T13:00:00.000Z", "2026-03-01T18:00:00.000Z"]);

      const [result] = await server.register([{ name: "add/rescheduled", export: "add", schedules: [{ cron: "45 * * * *" }] }]);
      assert.equal(result?.status, "updated");
      // The change wakes the scheduler; after its pass only the new schedule's runs and the manual one are there.
      await server.server.scheduler!.nextPass();
      assert.deepEqual(await times(), ["2026-03-01T10:45:00.000Z", "2026-03-01T11:45:00.000Z", "2026-03-01T12:45:00.000Z", "2026-03-01T18:00:00.000Z"]);

      // Registering the same schedule again changes nothing and deletes nothing.
      const [again] = await server.register([{ name: "add/rescheduled", export: "add", schedules: [{ cron: "45 * * * *" }] }]);
      assert.equal(again?.status, "unchanged");
      assert.equal((await times()).length, 4);
    } finally {
      await server.close();
    }
  });
});
