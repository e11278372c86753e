import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import WebSocket from "ws";
import { ManualClock } from "../engine/manual-clock.js";
import type { FlowRunRecord } from "../store/records.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { CliWorkspace, type CliProcess } from "../cli/test-support/cli-workspace.js";
import type { TributaryEvent } from "./contract.js";
import { readServerFile, serverFilePath } from "./server-file.js";
import { startServer } from "./start-server.js";
import { builtWorker } from "./test-support/server-harness.js";

/**
 * A run whose worker is gone but whose process still looks alive (frozen with SIGSTOP, as a pid
 * that was reused would) can only be told apart by its heartbeat. Server A is the real
 * `tributary server start`; it is SIGKILLed while its run's process is frozen, so nobody marks the
 * run. Server B is started on the same store file and finds it.
 */
describe("heartbeats: a run whose worker went away ends Crashed, or is retried when its flow has retries left", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  after(() => workspace.dispose());

  /** Server A runs hang-announced/default (or `flow`'s); resolves once it is Running (and committed so), with A and the run. */
  async function runningOnServerA(flow = { name: "hang-announced", entrypoint: "deployed-flows.ts:hangAnnounced" }): Promise<{ serverA: CliProcess; run: FlowRunRecord }> {
    const serverA = workspace.start(["server", "start", "--port", "0"]);
    const [, url] = await serverA.waitForLine(/^Tributary server listening on (\S+)/);
    const { token } = readServerFile(serverFilePath(workspace.dbPath))!;
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const registered = await fetch(`${url}/api/deployments`, {
      method: "POST",
      headers,
      body: JSON.stringify({ deployments: [{ name: `${flow.name}/default`, flowName: flow.name, entrypoint: flow.entrypoint, workDir: workspace.dir }] }),
    });
    assert.equal(registered.status, 200);
    const stream = new WebSocket(`${url!.replace("http", "ws")}/api/events/stream`, { headers });
    await new Promise((resolve) => stream.once("open", resolve));
    let running: FlowRunRecord | undefined;
    const announced = new Promise<void>((resolve) =>
      stream.on("message", (data) => {
        const event = JSON.parse(String(data)) as TributaryEvent;
        const run = (event.payload as unknown as { flowRun?: FlowRunRecord }).flowRun;
        if (event.event === "tributary.flow-run.Running" && run?.flowName === flow.name) running = run;
        if (event.event === "fixture.hang.started") resolve();
      }),
    );
    const created = await fetch(`${url}/api/deployments/${encodeURIComponent(`${flow.name}/default`)}/runs`, { method: "POST", headers, body: "{}" });
    assert.equal(created.status, 201);
    await announced;
    stream.terminate();
    assert.ok(running, "the run's Running event came before its own event");
    return { serverA, run: running };
  }

  /** Freezes the run's process and kills server A: the run stays Running in the store, its pid alive. */
  async function killServerA(serverA: CliProcess, run: FlowRunRecord): Promise<void> {
    process.kill(run.pid!, "SIGSTOP");
    serverA.kill("SIGKILL");
    await serverA.result;
  }

  it("while another server on the store runs: its sweep finds the stale heartbeat", async () => {
    const { serverA, run } = await runningOnServerA();
    const store = openSqliteStore(workspace.dbPath);
    const clock = new ManualClock(new Date());
    const serverB = await startServer({ store, port: 0, clock, scheduler: false, automationEngine: false, heartbeatTimeoutMs: 5000, reapIntervalMs: 1000, log: () => undefined });
    try {
      const crashed = new Promise<TributaryEvent>((resolve) =>
        serverB.hub.subscribe((event) => {
          if (event.event === "tributary.flow-run.Crashed" && event.resource.id === `tributary.flow-run.${run.id}`) resolve(event);
        }),
      );
      // Server A's worker watches the run: its fresh heartbeat keeps server B from touching it.
      clock.advance(1000);
      await clock.whenSleeping(1); // the sweep is done and waits for the next one
      assert.equal((await store.getFlowRun(run.id))?.state.name, "Running");

      await killServerA(serverA, run);
      // Nobody records heartbeats now; fifteen seconds on, server B's sweep ends the run.
      clock.advance(15_000);
      const event = await crashed;
      assert.match(String((event.payload as { state: { message?: string } }).state.message), /No heartbeat for \d+ s .*its server went away/);
      assert.equal((await store.getFlowRun(run.id))?.state.name, "Crashed");
    } finally {
      process.kill(run.pid!, "SIGKILL");
      await serverB.close();
      await store.close();
    }
  });

  it("a run its flow's retries cover is retried instead: Scheduled again, then run to the end by another server's worker", async () => {
    const { serverA, run } = await runningOnServerA({ name: "hang-once", entrypoint: "deployed-flows.ts:hangOnce" });
    assert.deepEqual(run.retryBudget, { left: 1, delayMs: 0 }, "the engine recorded what the flow's one retry covers");
    await killServerA(serverA, run);
    const store = openSqliteStore(workspace.dbPath);
    const clock = new ManualClock(new Date());
    const serverB = await startServer({
      store,
      port: 0,
      clock,
      scheduler: false,
      automationEngine: false,
      heartbeatTimeoutMs: 5000,
      reapIntervalMs: 1000,
      worker: builtWorker,
      workDirs: [workspace.dir],
      log: () => undefined,
    });
    try {
      const states: string[] = [];
      const ended = new Promise<void>((resolve) =>
        serverB.hub.subscribe((event) => {
          if (event.resource.id !== `tributary.flow-run.${run.id}`) return;
          states.push(event.event);
          if (/\.(Completed|Failed|Crashed|Cancelled)$/.test(event.event)) resolve();
        }),
      );
      clock.advance(15_000);
      await ended;
      assert.equal(states[0], "tributary.flow-run.Scheduled", "rescheduled");
      assert.equal(states.at(-1), "tributary.flow-run.Completed", "never Crashed: run again, to the end");
      const stored = await store.getFlowRun(run.id);
      assert.deepEqual([stored?.state.name, stored?.result, stored?.runCount], ["Completed", "retried", 2]);
      const history = await store.getStateHistory(run.id);
      assert.deepEqual(history.map((s) => s.name).slice(-5), ["Running", "Scheduled", "Pending", "Retrying", "Completed"]);
      assert.match(history.at(-4)?.message ?? "", /^Crashed; retried \(0 more retries after this one\): No heartbeat for \d+ s/);
      assert.notEqual(stored?.pid, run.pid, "run again by another process");
    } finally {
      process.kill(run.pid!, "SIGKILL");
      await serverB.close();
      await store.close();
    }
  });

  it("across a restart: the restarted server ends the run Crashed as it starts", async () => {
    const { serverA, run } = await runningOnServerA();
    await killServerA(serverA, run);
    const store = openSqliteStore(workspace.dbPath);
    try {
      assert.equal((await store.getFlowRun(run.id))?.state.name, "Running", "left Running by the killed server");
      // The restart comes a minute later (the clock says so), with the run's pid still alive.
      const serverB = await startServer({ store, port: 0, clock: new ManualClock(new Date(Date.now() + 60_000)), scheduler: false, log: () => undefined });
      try {
        const stored = await store.getFlowRun(run.id);
        assert.equal(stored?.state.name, "Crashed");
        assert.match(stored?.state.message ?? "", /No heartbeat for \d+ s/);
      } finally {
        await serverB.close();
      }
    } finally {
      process.kill(run.pid!, "SIGKILL");
      await store.close();
    }
  });
});
