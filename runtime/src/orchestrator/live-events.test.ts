import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CliWorkspace } from "../cli/test-support/cli-workspace.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { FlowRunRecord, TaskRunRecord } from "../store/records.js";
import type { LogEventPayload, TaskRunEventPayload, TributaryEvent } from "./contract.js";
import { startServer, type RunningServer } from "./start-server.js";
import { authorizedClient } from "./test-support/authorized-client.js";
import { builtWorker } from "./test-support/server-harness.js";

/** Collects the stream's events until `done` accepts one. */
function streamUntil(server: RunningServer, done: (e: TributaryEvent) => boolean, query = ""): Promise<{ opened: Promise<void>; events: Promise<TributaryEvent[]> }> {
  const socket = authorizedClient(server.token).stream(server.url, query);
  const events: TributaryEvent[] = [];
  const opened = new Promise<void>((resolve) => socket.once("open", () => resolve()));
  const finished = new Promise<TributaryEvent[]>((resolve) =>
    socket.on("message", (data) => {
      const event = JSON.parse(String(data)) as TributaryEvent;
      events.push(event);
      if (done(event)) {
        socket.terminate();
        resolve(events);
      }
    }),
  );
  return Promise.resolve({ opened, events: finished });
}

const isTaskEvent = (e: TributaryEvent) => e.event.startsWith("tributary.task-run.");

describe("task-run and log events on the live stream, not stored", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  const store = openSqliteStore(workspace.dbPath);
  let server: RunningServer;
  before(async () => {
    server = await startServer({ store, port: 0, scheduler: false, worker: builtWorker, workDirs: [workspace.dir], log: () => undefined });
  });
  after(async () => {
    await server.close();
    await store.close();
    await workspace.dispose();
  });

  /** Checks the task-run events of one flow run and that none of them, nor a log line, was stored. */
  async function checkLiveEvents(events: TributaryEvent[], flowRunId: string): Promise<void> {
    const taskEvents = events.filter((e) => isTaskEvent(e) && e.related?.[0]?.id === `tributary.flow-run.${flowRunId}`);
    const seen = taskEvents.map((e) => {
      const payload = e.payload as unknown as TaskRunEventPayload;
      assert.equal(e.event, `tributary.task-run.${payload.state.name}`);
      assert.equal(e.resource.id, `tributary.task-run.${payload.taskRun.id}`);
      assert.equal(payload.taskRun.flowRunId, flowRunId);
      return `${payload.taskRun.name} ${payload.state.name}`;
    });
    for (const name of ["double-0", "double-1"]) {
      assert.ok(seen.includes(`${name} Running`), `${name} Running in ${seen.join(", ")}`);
      assert.ok(seen.includes(`${name} Completed`), `${name} Completed in ${seen.join(", ")}`);
    }
    const completed = taskEvents.find((e) => e.event === "tributary.task-run.Completed");
    assert.equal(typeof (completed!.payload as unknown as { taskRun: TaskRunRecord }).taskRun.result, "number");
    const log = events.find((e) => e.event === "tributary.log" && (e.payload as unknown as LogEventPayload).flowRunId === flowRunId);
    assert.ok(log, "the run's log line was broadcast");
    assert.deepEqual(
      [(log.payload as unknown as LogEventPayload).level, (log.payload as unknown as LogEventPayload).message, log.related],
      ["info", "doubling 3 twice", [{ id: `tributary.flow-run.${flowRunId}` }]],
    );
    const stored = (await (await authorizedClient(server.token).fetch(`${server.url}/api/events?limit=1000`)).json()) as TributaryEvent[];
    assert.ok(stored.some((e) => e.event === "tributary.flow-run.Completed" && e.resource.id === `tributary.flow-run.${flowRunId}`), "flow-run events are stored");
    assert.deepEqual(stored.filter((e) => isTaskEvent(e) || e.event === "tributary.log").map((e) => e.event), [], "task-run and log events are not stored");
  }

  it("come from a deployment run the worker executes", async () => {
    const registered = await authorizedClient(server.token).fetch(`${server.url}/api/deployments`, {
      method: "POST",
      body: JSON.stringify({ deployments: [{ name: "with-tasks/default", flowName: "with-tasks", entrypoint: "deployed-flows.ts:withTasks", workDir: workspace.dir }] }),
    });
    assert.equal(registered.status, 200);
    let runId = "";
    const { opened, events } = await streamUntil(server, (e) => e.event === "tributary.flow-run.Completed" && e.resource.id === `tributary.flow-run.${runId}`);
    // A client that asked for stored events only gets none of them.
    const storedOnly = await streamUntil(server, (e) => e.event === "tributary.flow-run.Completed" && e.resource.id === `tributary.flow-run.${runId}`, "?storedOnly=true");
    await Promise.all([opened, storedOnly.opened]);
    const created = await authorizedClient(server.token).fetch(`${server.url}/api/deployments/with-tasks%2Fdefault/runs`, { method: "POST", body: JSON.stringify({ parameters: { n: 3 } }) });
    runId = ((await created.json()) as FlowRunRecord).id;
    await checkLiveEvents(await events, runId);
    assert.deepEqual((await storedOnly.events).filter((e) => isTaskEvent(e) || e.event === "tributary.log"), []);
  });

  it("come from a `tributary run` command that reports to the server", async () => {
    let runId = "";
    const { opened, events } = await streamUntil(server, (e) => e.event === "tributary.flow-run.Completed" && e.resource.flowName === "with-tasks" && ((runId = e.resource.id.slice("tributary.flow-run.".length)), true));
    await opened;
    const ran = await workspace.run(["run", "deployed-flows.ts:withTasks", "--param", "n=3"], { TRIBUTARY_API_URL: server.url, TRIBUTARY_API_TOKEN: server.token });
    assert.equal(ran.code, 0, ran.stderr);
    await checkLiveEvents(await events, runId);
  });
});
