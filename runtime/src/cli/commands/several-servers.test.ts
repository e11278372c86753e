// Two real `tributary server start` processes on one PostgreSQL database (a database of its own),
// sharing one token: a stream client of one sees the runs the other executes; an automation (on the
// leader) fires for an event raised on the other; runs created on both run once each, within a
// deployment's concurrency limit; SIGKILL the leader and the other takes over scheduling within
// seconds, no scheduled run duplicated or lost; a run executing on one is cancelled (and waited
// for) through the other.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { waitForFlowRun } from "../../api/wait-for-flow-run.js";
import { API_TOKEN_ENV, API_URL_ENV, type TributaryEvent } from "../../orchestrator/contract.js";
import type { FlowRunRecord } from "../../store/records.js";
import { fixtureDeployment } from "../../orchestrator/test-support/server-harness.js";
import { EventStreamClient, isRunEnd, isRunState } from "../../orchestrator/test-support/event-stream-client.js";
import { mostAtOnce } from "../../test-support/runs-at-once.js";
import { ownTestDatabase, postgresBackend, queryTestDatabase } from "../../test-support/store-backends.js";
import { CliWorkspace, type CliProcess } from "../test-support/cli-workspace.js";

const LEADS = /This server leads/;

interface Server {
  process: CliProcess;
  url: string;
  stream: EventStreamClient;
}

describe("several `tributary server start` on one PostgreSQL database", { skip: postgresBackend().skip, timeout: 600_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  const database = ownTestDatabase("several");
  const url = new URL(database.url);
  // Every server of one database takes the same token: a client may call any of them.
  const token = randomBytes(24).toString("base64url");
  const started: Server[] = [];
  let a: Server;
  let b: Server;

  async function startServer(): Promise<Server> {
    const process = workspace.start(["server", "start", "--port", "0", "--database-url", url.toString()], { TRIBUTARY_API_TOKEN: token });
    const [, serverUrl] = await process.waitForLine(/^Tributary server listening on (\S+)/);
    const stream = new EventStreamClient();
    await stream.open(serverUrl!, token, { storedOnly: true });
    const server = { process, url: serverUrl!, stream };
    started.push(server);
    return server;
  }

  async function api<T>(server: Server, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function createRun(server: Server, deployment: string, parameters: Record<string, unknown> = {}): Promise<FlowRunRecord> {
    const response = await api<FlowRunRecord>(server, "POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, { parameters });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  const sql = <R extends object>(text: string, params: unknown[] = []) => queryTestDatabase<R>(url.toString(), text, params);

  before(async () => {
    await database.create();
    a = await startServer();
    await a.process.waitForLine(LEADS, "stderr");
    b = await startServer();
    const deployment = (name: string, exportName: string, extra: Record<string, unknown> = {}) => fixtureDeployment(workspace.dir, name, exportName, extra);
    const registered = await api(b, "POST", "/api/deployments", {
      deployments: [
        deployment("where-am-i/spot", "whereAmI"),
        // Four at a time: fifty runs started at once would be fifty node processes on this machine.
        deployment("where-am-i/four-at-a-time", "whereAmI", { concurrencyLimit: 4 }),
        deployment("nap/two-at-a-time", "nap", { concurrencyLimit: 2 }),
        deployment("add/pinged", "add"),
        deployment("hang-says-where/plain", "hangSaysWhere"),
      ],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });

  after(async () => {
    for (const server of started) {
      server.stream.close();
      server.process.kill("SIGTERM");
      await server.process.result;
    }
    await database.drop();
    await workspace.dispose();
  });

  it("the first server leads and the second does not", async () => {
    const leaders = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [0x74726c64]);
    assert.equal(leaders[0]!.n, 1, "one leader lock is held");
  });

  it("a stream client of one server sees the runs the other server's worker executes, once each", async () => {
    // Created on A: A's worker usually wins the claim (it hears of the run first), B's sometimes.
    const executedBy = new Map<string, string>();
    for (let i = 0; i < 20 && ![...executedBy.values()].includes(a.url); i++) {
      const run = await createRun(a, "where-am-i/spot");
      await Promise.all([a.stream.waitFor(isRunEnd(run.id)), b.stream.waitFor(isRunEnd(run.id))]);
      const [row] = await sql<{ result: string }>(`SELECT result FROM flow_runs WHERE id = $1`, [run.id]);
      executedBy.set(run.id, (JSON.parse(row!.result) as { apiUrl: string }).apiUrl);
    }
    const byA = [...executedBy].filter(([, by]) => by === a.url).map(([id]) => id);
    assert.ok(byA.length > 0, `some run executed by ${a.url}: ${JSON.stringify([...executedBy])}`);
    for (const id of executedBy.keys()) {
      for (const server of [a, b]) {
        assert.equal(server.stream.count(isRunState(id, "Completed")), 1, `${id} Completed once on ${server.url}`);
        assert.equal(server.stream.count(isRunState(id, "Running")), 1, `${id} Running once on ${server.url}`);
      }
    }
  });

  it("an automation, evaluated on the leader, fires for an event raised on the other server, once", async () => {
    const registered = await api(b, "POST", "/api/automations", {
      automations: [{ name: "on-ping", trigger: { type: "event", expect: ["test.ping"] }, actions: [{ type: "run-deployment", deployment: "add/pinged" }] }],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const posted = await api<TributaryEvent[]>(b, "POST", "/api/events", { event: "test.ping", resource: { id: "test.pinger" }, payload: {} });
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    const pingId = posted.body[0]!.id;
    const triggered = await b.stream.waitFor((e) => e.event === "tributary.automation.triggered" && e.payload.triggeringEventId === pingId);
    assert.equal(triggered.resource.name, "on-ping");
    const scheduled = await b.stream.waitFor((e) => e.event === "tributary.flow-run.Scheduled" && e.resource.deploymentName === "add/pinged");
    const pinged = scheduled.resource.id.slice("tributary.flow-run.".length);
    assert.equal((await b.stream.waitFor(isRunEnd(pinged))).event, "tributary.flow-run.Completed");
    // Only the leader evaluates automations: the run was asked for once.
    const runs = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM flow_runs f JOIN deployments d ON d.id = f.deployment_id WHERE d.name = 'add/pinged'`);
    assert.equal(runs[0]!.n, 1);
    assert.equal(b.stream.count((e) => e.event === "tributary.automation.triggered" && e.payload.triggeringEventId === pingId), 1);
  });

  it("50 deployment runs created across both servers run exactly once each, within the deployment's limit", async () => {
    const runs = await Promise.all(Array.from({ length: 50 }, (_, i) => createRun(i % 2 === 0 ? a : b, "where-am-i/four-at-a-time")));
    await Promise.all(runs.map((run) => b.stream.waitFor(isRunEnd(run.id))));
    const rows = await sql<{ id: string; state_name: string; state_message: string | null; running: number; pending: number; result: string; start_time: string; end_time: string }>(
      `SELECT f.id, f.state_name, f.state_message, f.result, f.start_time, f.end_time,
         (SELECT count(*)::int FROM state_history h WHERE h.run_id = f.id AND h.name = 'Running') AS running,
         (SELECT count(*)::int FROM state_history h WHERE h.run_id = f.id AND h.name = 'Pending') AS pending
       FROM flow_runs f WHERE f.id = ANY($1)`,
      [runs.map((run) => run.id)],
    );
    assert.equal(rows.length, 50);
    for (const row of rows) assert.deepEqual([row.state_name, row.running, row.pending], ["Completed", 1, 1], `run ${row.id} started once and completed (${row.state_message})`);
    assert.ok(mostAtOnce(rows) <= 4, `at most 4 at a time, saw ${mostAtOnce(rows)}`);
    const executors = new Map<string, number>();
    for (const row of rows) {
      const by = (JSON.parse(row.result) as { apiUrl: string }).apiUrl;
      executors.set(by, (executors.get(by) ?? 0) + 1);
    }
    assert.ok([...executors.keys()].every((by) => by === a.url || by === b.url), JSON.stringify([...executors]));
    for (const server of [a, b]) assert.equal(runs.filter((run) => server.stream.count(isRunState(run.id, "Completed")) === 1).length, 50, `every Completed once on ${server.url}`);
  });

  it("a deployment's concurrency limit holds across the workers of both servers", async () => {
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => createRun(i % 2 === 0 ? a : b, "nap/two-at-a-time", { ms: 300 })));
    await Promise.all(runs.map((run) => b.stream.waitFor(isRunEnd(run.id))));
    const rows = await sql<{ state_name: string; start_time: string; end_time: string }>(`SELECT state_name, start_time, end_time FROM flow_runs WHERE id = ANY($1)`, [
      runs.map((run) => run.id),
    ]);
    assert.deepEqual(rows.map((row) => row.state_name), runs.map(() => "Completed"));
    const most = mostAtOnce(rows);
    assert.ok(most <= 2, `at most 2 at a time, saw ${most}`);
    assert.equal(most, 2, "two did run at once");
  });

  it("a run one server's worker executes is cancelled through the other: Cancelling there, then Cancelled by the server that executes it", async () => {
    const run = await createRun(a, "hang-says-where/plain");
    const where = await a.stream.waitFor((e) => e.event === "fixture.hang.where");
    const executor = (where.payload as { apiUrl: string }).apiUrl === a.url ? a : b;
    const other = executor === a ? b : a;
    // A wait through the server that does not execute the run: woken by the events relayed to it.
    const saved = { url: process.env[API_URL_ENV], token: process.env[API_TOKEN_ENV] };
    process.env[API_URL_ENV] = other.url;
    process.env[API_TOKEN_ENV] = token;
    const waited = waitForFlowRun(run.id, { timeoutSeconds: 300 });
    for (const [name, value] of [[API_URL_ENV, saved.url], [API_TOKEN_ENV, saved.token]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const asked = await api<FlowRunRecord>(other, "POST", `/api/flow-runs/${run.id}/cancel`);
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    assert.equal(asked.body.state.name, "Cancelling", "the other server records the request");
    const ends = await Promise.all([a, b].map((server) => server.stream.waitFor(isRunEnd(run.id))));
    assert.deepEqual(ends.map((e) => e.event), ["tributary.flow-run.Cancelled", "tributary.flow-run.Cancelled"]);
    assert.equal((await waited).state.name, "Cancelled", "waitForFlowRun through the other server returned the run as it ended");
    const [row] = await sql<{ state_name: string; state_message: string }>(`SELECT state_name, state_message FROM flow_runs WHERE id = $1`, [run.id]);
    assert.deepEqual([row!.state_name, row!.state_message], ["Cancelled", "Cancelled through the API."]);
    // Asked again, a finished run is as it is.
    const again = await api<FlowRunRecord>(other, "POST", `/api/flow-runs/${run.id}/cancel`);
    assert.deepEqual([again.status, again.body.state.name], [200, "Cancelled"]);
  });

  it("SIGKILL the leader: the other takes over scheduling within seconds, and no scheduled run is duplicated or lost", async () => {
    const registered = await api(b, "POST", "/api/deployments", {
      deployments: [{ name: "add/every-2s", flowName: "add", entrypoint: "deployed-flows.ts:add", workDir: workspace.dir, schedules: [{ interval: 2 }] }],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const completedScheduled = (stream: EventStreamClient, after = 0) =>
      stream.waitFor(
        (e) =>
          e.event === "tributary.flow-run.Completed" &&
          e.resource.deploymentName === "add/every-2s" &&
          Date.parse((e.payload as unknown as { flowRun: FlowRunRecord }).flowRun.expectedStartTime ?? "") > after,
      );
    // The leader (A) schedules; either worker runs them.
    await completedScheduled(b.stream);
    a.process.kill("SIGKILL");
    const killedAt = Date.now();
    await a.process.result;
    await b.process.waitForLine(LEADS, "stderr");
    const takeoverMs = Date.now() - killedAt;
    assert.ok(takeoverMs < 5000, `took over in ${takeoverMs} ms`);
    // B schedules now: runs due after the kill complete, three of them.
    let last = killedAt;
    for (let i = 0; i < 3; i++) {
      const event = await completedScheduled(b.stream, last);
      last = Date.parse((event.payload as unknown as { flowRun: FlowRunRecord }).flowRun.expectedStartTime!);
    }
    const rows = await sql<{ expected_start_time: string; idempotency_key: string; state_name: string; running: number }>(
      `SELECT f.expected_start_time, f.idempotency_key, f.state_name,
         (SELECT count(*)::int FROM state_history h WHERE h.run_id = f.id AND h.name = 'Running') AS running
       FROM flow_runs f JOIN deployments d ON d.id = f.deployment_id WHERE d.name = 'add/every-2s' ORDER BY f.expected_start_time`,
    );
    const due = rows.filter((row) => Date.parse(row.expected_start_time) <= last);
    const times = due.map((row) => Date.parse(row.expected_start_time));
    assert.ok(times.length >= 4, JSON.stringify(rows));
    // Every 2 s from the first to the last, each time once: nothing skipped, nothing twice.
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 2000, `runs at ${new Date(times[i - 1]!).toISOString()} and ${new Date(times[i]!).toISOString()}`);
    assert.equal(new Set(rows.map((row) => row.idempotency_key)).size, rows.length);
    for (const row of due) assert.ok(row.running <= 1, `the run at ${row.expected_start_time} started ${row.running} times`);
    // A run the killed server's worker was executing at that moment cannot complete (it ends Crashed
    // once its heartbeat is stale); every other due run completed.
    const notCompleted = due.filter((row) => row.state_name !== "Completed");
    assert.ok(notCompleted.length <= 1, `not completed: ${JSON.stringify(notCompleted)}`);
  });
});
