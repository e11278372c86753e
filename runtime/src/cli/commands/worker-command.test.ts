// `tributary worker start` beside a real `tributary server start`, on one PostgreSQL database (one
// of its own): the worker runs its pool's deployment runs from its own copy of the project (not
// the directory the deployment was registered from), the server's worker keeps the default pool's,
// a run on the worker is cancelled through the server, and `worker ls` lists the workers. Bad
// input: exit 2, one line, nothing started.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../../store/records.js";
import { fixtureDeployment } from "../../orchestrator/test-support/server-harness.js";
import { EventStreamClient, isRunEnd } from "../../orchestrator/test-support/event-stream-client.js";
import { ownTestDatabase, postgresBackend } from "../../test-support/store-backends.js";
import { CliWorkspace, type CliProcess } from "../test-support/cli-workspace.js";

describe("tributary worker start", { skip: postgresBackend().skip, timeout: 300_000 }, () => {
  // The server's project, and the worker machine's own checkout of it.
  const serverSide = new CliWorkspace();
  serverSide.addFixtures("server");
  const workerSide = new CliWorkspace();
  workerSide.addFixtures("server");
  const database = ownTestDatabase("worker");
  const token = randomBytes(24).toString("base64url");
  const env = { TRIBUTARY_API_TOKEN: token, TRIBUTARY_DATABASE_URL: database.url };
  let server: CliProcess;
  let worker: CliProcess;
  let serverUrl: string;
  const stream = new EventStreamClient();

  async function api<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${serverUrl}${route}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
  async function createRun(deployment: string): Promise<FlowRunRecord> {
    const response = await api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, {});
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  before(async () => {
    await database.create();
    server = serverSide.start(["server", "start", "--port", "0"], env);
    [, serverUrl] = (await server.waitForLine(/^Tributary server listening on (\S+)/)) as [string, string];
    await stream.open(serverUrl, token, { storedOnly: true });
    worker = workerSide.start(["worker", "start", "--server", serverUrl, "--pool", "remote", "--limit", "4"], env);
    await worker.waitForLine(/^Tributary worker started: pool remote, at most 4 at once; runs execute in /);
    const deployment = (name: string, exportName: string, extra: Record<string, unknown> = {}) => fixtureDeployment(serverSide.dir, name, exportName, extra);
    const registered = await api("POST", "/api/deployments", {
      deployments: [
        deployment("where-am-i/remote", "whereAmI", { pool: "remote" }),
        deployment("where-am-i/here", "whereAmI"),
        deployment("hang-says-where/remote", "hangSaysWhere", { pool: "remote" }),
      ],
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });

  after(async () => {
    stream.close();
    for (const process of [worker, server]) {
      if (process === undefined) continue;
      process.kill("SIGTERM");
      await process.result;
    }
    await database.drop();
    await Promise.all([serverSide.dispose(), workerSide.dispose()]);
  });

  it("runs its pool's runs in its own checkout, talking to the server; the server's worker keeps the default pool's", async () => {
    const remote = await createRun("where-am-i/remote");
    const here = await createRun("where-am-i/here");
    const ends = await Promise.all([remote, here].map((run) => stream.waitFor(isRunEnd(run.id))));
    assert.deepEqual(ends.map((e) => e.event), ["tributary.flow-run.Completed", "tributary.flow-run.Completed"]);
    const results = await Promise.all([remote, here].map(async (run) => (await api<FlowRunRecord>("GET", `/api/flow-runs/${run.id}`)).body.result as { cwd: string; apiUrl: string }));
    assert.deepEqual(results.map((r) => [realpathSync(r.cwd), r.apiUrl]), [
      [realpathSync(workerSide.dir), serverUrl],
      [realpathSync(serverSide.dir), serverUrl],
    ]);
  });

  it("a run on the worker is cancelled through the server: Cancelling there, Cancelled by the worker", async () => {
    const run = await createRun("hang-says-where/remote");
    await stream.waitFor((e) => e.event === "fixture.hang.where");
    const asked = await api<FlowRunRecord>("POST", `/api/flow-runs/${run.id}/cancel`);
    assert.deepEqual([asked.status, asked.body.state.name], [200, "Cancelling"]);
    assert.equal((await stream.waitFor(isRunEnd(run.id))).event, "tributary.flow-run.Cancelled");
  });

  it("worker ls lists the server's worker and each worker started, online, with pools and runs; one stopped is listed stopped", async () => {
    const named = workerSide.start(["worker", "start", "--server", serverUrl, "--pool", "batch", "--pool", "remote", "--name", "box-2"], env);
    await named.waitForLine(/^Tributary worker started: pools batch, remote; /);
    const cliEnv = { ...env, TRIBUTARY_API_URL: serverUrl };
    const listed = await workerSide.run(["worker", "ls", "--json"], cliEnv);
    assert.equal(listed.code, 0, listed.stderr);
    const workers = JSON.parse(listed.stdout) as { name: string; kind: string; status: string; pools: string[]; runs: number }[];
    const byName = new Map(workers.map((w) => [w.name, w]));
    assert.deepEqual(
      ["box-2"].map((name) => byName.get(name) && [byName.get(name)!.kind, byName.get(name)!.status, byName.get(name)!.pools, byName.get(name)!.runs]),
      [["worker", "online", ["batch", "remote"], 0]],
    );
    assert.deepEqual(workers.filter((w) => w.kind === "server").map((w) => [w.status, w.pools]), [["online", ["default"]]], "the server's own worker");
    assert.deepEqual(workers.filter((w) => w.kind === "worker" && w.name !== "box-2").map((w) => [w.status, w.pools]), [["online", ["remote"]]], "the worker of before()");

    named.kill("SIGTERM");
    assert.equal((await named.result).code, 0);
    const table = await workerSide.run(["worker", "ls"], cliEnv);
    assert.equal(table.code, 0, table.stderr);
    const row = table.stdout.split("\n").find((line) => line.startsWith("box-2 "));
    assert.match(row ?? "", /^box-2\s+worker\s+stopped\s+batch, remote\s+\S+ ago\s+-$/, table.stdout);
    assert.match(table.stdout, /^NAME\s+KIND\s+STATUS\s+POOLS\s+LAST HEARTBEAT\s+RUNS$/m);
  });

  it("refuses bad input with exit 2 and one line naming the value, starting nothing", async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [["--server", "localhost:4200"], env, /^tributary: --server must be an http or https URL, got "localhost:4200"\.$/],
      [["--server", serverUrl, "--pool", "a b"], env, /^tributary: --pool must be a pool name: .*; got "a b"\.$/],
      [["--server", serverUrl, "--limit", "0"], env, /^tributary: --limit must be a whole number of at least 1, got "0"\.$/],
      [["--server", serverUrl, "--name", " "], env, /^tributary: --name must be a name of 1 to 200 characters, got " "\.$/],
      [["--server", serverUrl, "--project", "nowhere"], env, /^tributary: --project must name a directory, got "nowhere": no directory .*nowhere\.$/],
      [["--server", serverUrl], { ...env, TRIBUTARY_API_TOKEN: undefined }, /^tributary: A worker needs the servers' token: set TRIBUTARY_API_TOKEN/],
      [["--server", serverUrl], { ...env, TRIBUTARY_DATABASE_URL: undefined }, /^tributary: A worker takes its runs from the servers' PostgreSQL database: give it with --database-url or TRIBUTARY_DATABASE_URL/],
    ];
    for (const [args, caseEnv, message] of cases) {
      const result = await workerSide.run(["worker", "start", ...args], caseEnv);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr.trimEnd(), message);
      assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
      assert.equal(result.stdout, "");
    }
  });
});
