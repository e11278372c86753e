// Many processes on one PostgreSQL database (one of its own): two `tributary server start` and three
// `tributary worker start`, each worker in a directory of its own with its own copy of the project.
// 1,000 deployment runs across two pools with limits, created through both servers; mid-way a worker
// is SIGKILLed (with a run that hangs on it) and so is the leading server; the worker is started
// again. At the end every run is accounted for: final, executed by a worker of its pool from that
// worker's copy, within its deployment's limit. The flows have one retry: the killed worker's
// started runs are retried (the hanging one by the restarted worker), and only runs it had claimed
// but not started end Crashed; the other server leads.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { EventStreamClient, isRunEnd } from "../../orchestrator/test-support/event-stream-client.js";
import { fixtureDeployment } from "../../orchestrator/test-support/server-harness.js";
import type { TributaryEvent } from "../../orchestrator/contract.js";
import type { FlowRunRecord } from "../../store/records.js";
import { mostAtOnce } from "../../test-support/runs-at-once.js";
import { ownTestDatabase, postgresBackend, queryTestDatabase } from "../../test-support/store-backends.js";
import { CliWorkspace, type CliProcess } from "../test-support/cli-workspace.js";

const RUNS = 1000;
const LEADS = /This server leads/;

describe("two servers and three workers on one PostgreSQL database", { skip: postgresBackend().skip, timeout: 600_000 }, () => {
  const database = ownTestDatabase("cluster");
  const token = randomBytes(24).toString("base64url");
  const env = { TRIBUTARY_API_TOKEN: token, TRIBUTARY_DATABASE_URL: database.url };
  const project = new CliWorkspace();
  project.addFixtures("server");
  // Each worker's machine: its own copy of the project.
  const machines = { w1: new CliWorkspace(), w2: new CliWorkspace(), w3: new CliWorkspace() };
  for (const machine of Object.values(machines)) machine.addFixtures("server");
  const processes: CliProcess[] = [];
  const stream = new EventStreamClient();
  let serverA: CliProcess;
  let serverB: CliProcess;
  let urlA: string;
  let urlB: string;
  let w2: CliProcess;
  const where = (run: string) => `where-am-i-retried/${run}`;

  const sql = <R extends object>(text: string, params: unknown[] = []) => queryTestDatabase<R>(database.url, text, params);
  async function api<T>(url: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
  async function createRun(url: string, deployment: string): Promise<FlowRunRecord> {
    const response = await api<FlowRunRecord>(url, "POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, {});
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }
  function start(workspace: CliWorkspace, args: string[]): CliProcess {
    const process = workspace.start(args, env);
    processes.push(process);
    return process;
  }
  async function startWorker(machine: CliWorkspace, name: string, pools: string[]): Promise<CliProcess> {
    const worker = start(machine, ["worker", "start", "--server", urlB, "--name", name, ...pools.flatMap((pool) => ["--pool", pool])]);
    await worker.waitForLine(/^Tributary worker started: /);
    return worker;
  }

  before(async () => {
    await database.create();
    serverA = start(project, ["server", "start", "--port", "0"]);
    [, urlA] = (await serverA.waitForLine(/^Tributary server listening on (\S+)/)) as [string, string];
    await serverA.waitForLine(LEADS, "stderr");
    serverB = start(project, ["server", "start", "--port", "0"]);
    [, urlB] = (await serverB.waitForLine(/^Tributary server listening on (\S+)/)) as [string, string];
    // B outlives A: its stream sees every run end, and the workers' flows talk to it.
    await stream.open(urlB, token, { storedOnly: true });
    await startWorker(machines.w1, "w1", ["p1", "p2"]);
    w2 = await startWorker(machines.w2, "w2", ["p1", "p3"]);
    await startWorker(machines.w3, "w3", ["p2"]);
    const registered = await api(urlA, "POST", "/api/deployments", {
      deployments: [
        fixtureDeployment(project.dir, where("p1"), "whereAmIRetried", { pool: "p1", concurrencyLimit: 3 }),
        fixtureDeployment(project.dir, where("p2"), "whereAmIRetried", { pool: "p2", concurrencyLimit: 2 }),
        fixtureDeployment(project.dir, "hang-once-says-where/p3", "hangOnceSaysWhere", { pool: "p3" }),
      ],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });

  after(async () => {
    stream.close();
    for (const process of processes) process.kill("SIGTERM");
    await Promise.all(processes.map((process) => process.result));
    await database.drop();
    await Promise.all([project, ...Object.values(machines)].map((workspace) => workspace.dispose()));
  });

  it(`runs ${RUNS.toLocaleString("en-US")} runs across two pools through a worker's and the leader's SIGKILL, within limits, from the workers' copies, retrying the killed worker's`, async () => {
    const hang = await createRun(urlB, "hang-once-says-where/p3");
    const hanging = await stream.waitFor((e) => e.event === "fixture.hang.where");
    assert.equal((hanging.payload as { apiUrl: string }).apiUrl, urlB, "the worker's flows talk to --server");

    const runs: FlowRunRecord[] = [];
    const createSome = async (count: number, urls: string[]) => {
      const created = await Promise.all(Array.from({ length: count }, (_, i) => createRun(urls[i % urls.length]!, where((runs.length + i) % 2 === 0 ? "p1" : "p2"))));
      runs.push(...created);
    };
    for (let i = 0; i < 6; i++) await createSome(50, [urlA, urlB]);
    // Mid-way: a worker dies with a run hanging on it, and the server that leads dies.
    w2.kill("SIGKILL");
    serverA.kill("SIGKILL");
    await serverB.waitForLine(LEADS, "stderr");
    // The killed worker's runner reschedules its hanging run for its retry and stores the event itself.
    const messageOf = (e: TributaryEvent) => (e.payload as { state: { message?: string } }).state.message;
    const rescheduled = await stream.waitFor(
      (e) => e.event === "tributary.flow-run.Scheduled" && e.resource.id === `tributary.flow-run.${hang.id}` && messageOf(e) !== undefined,
    );
    // Said by the runner that lost its worker, or by a server's sweep that found that runner gone first.
    assert.match(String(messageOf(rescheduled)), /^Crashed; retried \(0 more retries after this one\): (The server or worker executing this run went away\.|The process executing this run is gone)/);
    // Its machine starts its worker again, which runs the retry: p3 has no other worker.
    await startWorker(machines.w2, "w2-again", ["p1", "p3"]);
    while (runs.length < RUNS) await createSome(Math.min(50, RUNS - runs.length), [urlB]);

    const hangEnd = await stream.waitFor(isRunEnd(hang.id));
    assert.equal(hangEnd.event, "tributary.flow-run.Completed", "the killed worker's hanging run, retried");
    const retried = (await api<FlowRunRecord>(urlB, "GET", `/api/flow-runs/${hang.id}`)).body;
    assert.deepEqual([retried.runCount, realpathSync((retried.result as { cwd: string }).cwd)], [2, realpathSync(machines.w2.dir)]);
    // Each run's end: stored already, or an end event to come (the stream was open before any run).
    // A run's events are stored by the worker that executes it, so a run the killed worker had just
    // finished may be Completed in the store without its event: that is why the store is read first.
    const endEvents = new Map<string, string>();
    for (const run of runs) {
      const stored = (await api<FlowRunRecord>(urlB, "GET", `/api/flow-runs/${run.id}`)).body;
      const seen = stream.events.find(isRunEnd(run.id));
      if (seen !== undefined) endEvents.set(run.id, seen.event);
      else if (!["COMPLETED", "FAILED", "CRASHED", "CANCELLED"].includes(stored.state.type)) endEvents.set(run.id, (await stream.waitFor(isRunEnd(run.id))).event);
    }

    const rows = await sql<{ id: string; deployment: string; state_name: string; result: string | null; start_time: string | null; end_time: string | null; running: number; retried: number }>(
      `SELECT f.id, d.name AS deployment, f.state_name, f.result, f.start_time, f.end_time,
              (SELECT count(*)::int FROM state_history h WHERE h.run_id = f.id AND h.name = 'Running') AS running,
              (SELECT count(*)::int FROM state_history h WHERE h.run_id = f.id AND h.name = 'Retrying') AS retried
       FROM flow_runs f JOIN deployments d ON d.id = f.deployment_id WHERE f.id = ANY($1)`,
      [runs.map((run) => run.id)],
    );
    assert.equal(rows.length, RUNS, "every run is in the store");
    const byState = new Map<string, number>();
    for (const row of rows) byState.set(row.state_name, (byState.get(row.state_name) ?? 0) + 1);
    assert.deepEqual([...byState.keys()].filter((state) => state !== "Completed" && state !== "Crashed"), [], `every run final: ${JSON.stringify([...byState])}`);
    // Started once, and again only as its flow's retry after its worker died.
    for (const row of rows) assert.ok(row.running <= 1 && row.retried <= 1, `run ${row.id} started ${row.running} times, retried ${row.retried}`);
    for (const row of rows) {
      const event = endEvents.get(row.id);
      if (event !== undefined) assert.equal(event, `tributary.flow-run.${row.state_name}`, `run ${row.id}: its end event says what the store says`);
    }

    const copies = Object.fromEntries(Object.entries(machines).map(([name, machine]) => [realpathSync(machine.dir), name]));
    const executors = new Map<string, Set<string>>([[where("p1"), new Set()], [where("p2"), new Set()]]);
    for (const row of rows.filter((r) => r.state_name === "Completed")) {
      const { cwd } = JSON.parse(row.result!) as { cwd: string };
      const worker = copies[realpathSync(cwd)];
      assert.ok(worker !== undefined, `run ${row.id} ran in a worker's copy, not in ${cwd}`);
      executors.get(row.deployment)!.add(worker);
      if (!endEvents.has(row.id) && worker !== "w2") {
        // A live worker stores the event after the runner committed the state, and it reaches this
        // stream through the other server's relay: it may come after the store said Completed.
        const late = await stream.waitFor(isRunEnd(row.id));
        assert.equal(late.event, "tributary.flow-run.Completed", `run ${row.id}: its end event says what the store says`);
      }
    }
    const p1 = executors.get(where("p1"))!;
    const p2 = executors.get(where("p2"))!;
    assert.ok([...p1].every((w) => w === "w1" || w === "w2"), `p1 by w1/w2 only: ${[...p1]}`);
    assert.ok([...p2].every((w) => w === "w1" || w === "w3"), `p2 by w1/w3 only: ${[...p2]}`);
    assert.ok(p2.has("w3") && p1.has("w1"), "the work was shared");
    for (const [deployment, limit] of [[where("p1"), 3], [where("p2"), 2]] as const) {
      const started = rows.filter((r) => r.deployment === deployment && r.start_time !== null) as { start_time: string; end_time: string }[];
      assert.ok(mostAtOnce(started) <= limit, `${deployment}: at most ${limit} at once, saw ${mostAtOnce(started)}`);
    }
    // Crashed runs are the killed worker's, claimed and not yet started when it died (nothing says
    // what their flow's retries cover); the ones it had started were retried.
    const crashed = rows.filter((r) => r.state_name === "Crashed");
    assert.ok(crashed.length <= 3, `only what w2 held when it died (p1's limit is 3): ${crashed.length}`);
    for (const row of crashed) assert.equal(row.running, 0, `crashed run ${row.id} had started: its retry was due`);
  });
});
