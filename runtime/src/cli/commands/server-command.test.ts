import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import WebSocketClient from "ws";
import { readServerFile, serverFilePath } from "../../orchestrator/server-file.js";
import type { FlowRunRecord } from "../../store/records.js";
import { CliWorkspace, type CliProcess } from "../test-support/cli-workspace.js";
import { openSqliteConnection } from "../../store/sqlite-driver.js";

/** The tokens of the servers this file started, by origin, as server.json recorded them. */
const tokens = new Map<string, string>();
const authorization = (url: string): Record<string, string> => {
  const token = tokens.get(new URL(url).origin);
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
};
/** fetch and WebSocket with the token of the server addressed (none for an address not recorded). */
const fetch = (url: string, init: RequestInit = {}) =>
  globalThis.fetch(url, { ...init, headers: { ...authorization(url), ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...(init.headers as Record<string, string> | undefined) } });
class WebSocket extends WebSocketClient {
  constructor(url: string) {
    super(url, { headers: authorization(url.replace(/^ws/, "http")) });
  }
}

async function startServer(workspace: CliWorkspace, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ process: CliProcess; url: string }> {
  const server = workspace.start(["server", "start", "--port", "0", ...args], env);
  const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
  const recorded = readServerFile(serverFilePath(workspace.dbPath));
  assert.equal(recorded?.url, url, "the server recorded its URL and token in server.json");
  tokens.set(new URL(url!).origin, recorded!.token);
  return { process: server, url: url! };
}

async function stop(server: CliProcess): Promise<void> {
  server.kill("SIGTERM");
  await server.result;
}

// A budget for the whole suite, which runs several servers and CLI commands in turn: on the shared
// 2 cores at load ~37 these suites took 105 and 148 s, past the 120 s they had. It catches a hang; every wait is on an event.
describe("tributary server start (the real server process)", { timeout: 600_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  after(() => workspace.dispose());

  it("serves the CLI: deploy, deployment run with --watch and without", async () => {
    const { process: server, url } = await startServer(workspace);
    try {
      const env = { TRIBUTARY_API_URL: url };
      const deployed = await workspace.run(["deploy", "deployed-flows.ts"], env);
      assert.equal(deployed.code, 0, deployed.stderr);
      assert.match(deployed.stdout, new RegExp(`Registered with ${url.replace(/[.]/g, "\\.")}\\.`));
      const watched = await workspace.run(["deployment", "run", "add/default", "--param", "b=2", "--watch"], env);
      assert.equal(watched.code, 0, watched.stderr);
      assert.match(watched.stdout, /^\S+ \| flow-run \S+ \| add \| Running$/m);
      assert.match(watched.stdout, /^Flow run \S+ \(add\) Completed in /m);
      const created = await workspace.run(["deployment", "run", "add/default", "--json"], env);
      const run = JSON.parse(created.stdout) as FlowRunRecord;
      assert.equal(run.state.name, "Scheduled");
      const listed = await fetch(`${url}/api/flow-runs?deploymentName=add%2Fdefault`);
      assert.equal(listed.status, 200);

      // flow-run cancel and retry through the server.
      const hang = JSON.parse((await workspace.run(["deployment", "run", "hang/one-at-a-time", "--json"], env)).stdout) as FlowRunRecord;
      await waitForState(url, hang.id, "Running");
      const cancel = await workspace.run(["flow-run", "cancel", hang.id.slice(0, 13)], env);
      assert.equal(cancel.code, 0, cancel.stderr);
      await waitForState(url, hang.id, "Cancelled");
      const retry = await workspace.run(["flow-run", "retry", hang.id], env);
      assert.match(retry.stdout, new RegExp(`Flow run ${hang.name} \\(${hang.id}\\) is Scheduled again\\.`));
      await waitForState(url, hang.id, "Running");
      await workspace.run(["flow-run", "cancel", hang.id], env);
      await waitForState(url, hang.id, "Cancelled");
      const unknown = await workspace.run(["flow-run", "cancel", "ffffffff"], env);
      assert.equal(unknown.code, 2);
      assert.equal(unknown.stderr, 'tributary: No flow run has an id starting with "ffffffff" or the name "ffffffff"; list runs and their ids with `tributary flow-run ls`.\n');

      // tributary run reports its run's state changes to the server, whose automation reacts.
      assert.equal((await workspace.run(["deploy", "orchestrated.ts"], env)).code, 0);
      const stream = new WebSocket(`${url.replace("http", "ws")}/api/events/stream`);
      await new Promise((resolve) => stream.once("open", resolve));
      const triggered = new Promise<FlowRunRecord>((resolve) =>
        stream.on("message", (data) => {
          const event = JSON.parse(String(data)) as { event: string; payload: { flowRun?: FlowRunRecord } };
          const run = event.payload.flowRun;
          if (event.event === "tributary.flow-run.Completed" && run?.flowName === "downstream" && run.parameters.batchId === "from-automation") resolve(run);
        }),
      );
      const ran = await workspace.run(["run", "orchestrated.ts:upstream"], env);
      assert.equal(ran.code, 0, ran.stderr);
      const downstream = await triggered;
      stream.terminate();
      assert.equal(downstream.result, "processed from-automation");
      assert.deepEqual(downstream.chain?.map((link) => link.kind), ["flow-run", "automation", "deployment", "flow-run"]);
    } finally {
      await stop(server);
    }
  });

  it("warns when a second server starts on the same SQLite store, naming the first and PostgreSQL; a run created on either starts once", async () => {
    const first = await startServer(workspace);
    const second = workspace.start(["server", "start", "--port", "0"]);
    try {
      const [, secondUrl] = await second.waitForLine(/^Tributary server listening on (\S+)/);
      const [warning] = await second.waitForLine(/^tributary server: warning: another server .*$/m, "stderr");
      assert.ok(warning!.includes(`(pid ${first.process.child.pid}, ${first.url}) serves the SQLite store at `), warning);
      assert.match(warning!, /neither server's stream clients, waits or automations see the other's events/);
      assert.match(warning!, /PostgreSQL \(--database-url or TRIBUTARY_DATABASE_URL\)/);
      const recorded = readServerFile(serverFilePath(workspace.dbPath));
      assert.equal(recorded?.url, secondUrl);
      tokens.set(new URL(secondUrl!).origin, recorded!.token);
      // server.json has the second server's token now: the CLI goes there.
      const deployed = await workspace.run(["deploy", "deployed-flows.ts"], { TRIBUTARY_API_URL: secondUrl });
      assert.equal(deployed.code, 0, deployed.stderr);
      // A run's end reaches the stream of the server whose worker ran it only: listen to both.
      const ended = new Map<string, () => void>();
      const endedIds = new Set<string>();
      const sockets = [first.url, secondUrl!].map((url) => new WebSocket(`${url.replace(/^http/, "ws")}/api/events/stream?storedOnly=true`));
      const opened = Promise.all(sockets.map((socket) => new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject))));
      for (const socket of sockets) {
        socket.on("message", (data) => {
          const event = JSON.parse(String(data)) as { event: string; resource: { id: string } };
          if (!/^tributary\.flow-run\.(Completed|Failed|Crashed)$/.test(event.event)) return;
          const id = event.resource.id.slice("tributary.flow-run.".length);
          endedIds.add(id);
          ended.get(id)?.();
        });
      }
      await opened;
      try {
        // Both workers see every run (the store is shared); each run starts once.
        const ids: string[] = [];
        for (const url of [first.url, secondUrl!, first.url, secondUrl!]) {
          const response = await fetch(`${url}/api/deployments/${encodeURIComponent("add/default")}/runs`, { method: "POST", body: "{}" });
          assert.equal(response.status, 201);
          ids.push(((await response.json()) as FlowRunRecord).id);
        }
        await Promise.all(ids.map((id) => (endedIds.has(id) ? undefined : new Promise<void>((resolve) => ended.set(id, resolve)))));
        for (const id of ids) {
          const states = (await (await fetch(`${first.url}/api/flow-runs/${id}/states`)).json()) as { name: string }[];
          assert.deepEqual(states.map((state) => state.name), ["Scheduled", "Pending", "Running", "Completed"], `run ${id}`);
        }
      } finally {
        for (const socket of sockets) socket.terminate();
      }
    } finally {
      await stop(second);
      await stop(first.process);
    }
  });

  it("refuses a --pool that is not a pool name with exit 2 and one line naming it, starting nothing", async () => {
    const refused = await workspace.run(["server", "start", "--port", "0", "--pool", "default", "--pool", "gpu pool"]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `tributary: --pool must be a pool name: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 63 characters; got "gpu pool".\n`);
    assert.equal(refused.stdout, "");
  });

  it("refuses to listen beyond loopback without a token (exit 2), and with one requires it on every request and the stream", async () => {
    const refused = await workspace.run(["server", "start", "--host", "0.0.0.0", "--port", "0"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^tributary: Refusing to listen on 0\.0\.0\.0 without a token: .*Set TRIBUTARY_API_TOKEN/);
    assert.equal(refused.stderr.trim().split("\n").length, 1);

    const { process: server, url } = await startServer(workspace, ["--host", "0.0.0.0"], { TRIBUTARY_API_TOKEN: "s3cret" });
    try {
      const local = url.replace("0.0.0.0", "127.0.0.1");
      assert.equal((await fetch(`${local}/api/health`)).status, 401);
      assert.equal((await fetch(`${local}/api/health`, { headers: { authorization: "Bearer wrong" } })).status, 401);
      assert.equal((await fetch(`${local}/api/health`, { headers: { authorization: "Bearer s3cret" } })).status, 200);
      const upgrade = await new Promise<number | string>((resolve) => {
        const socket = new WebSocket(`${local.replace("http", "ws")}/api/events/stream`);
        socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.on("open", () => resolve("open"));
        socket.on("error", () => undefined);
      });
      assert.equal(upgrade, 401);
      const withToken = await workspace.run(["deployment", "ls", "--json"], { TRIBUTARY_API_URL: local, TRIBUTARY_API_TOKEN: "s3cret" });
      assert.equal(withToken.code, 0, withToken.stderr);
      const wrongToken = await workspace.run(["deployment", "ls"], { TRIBUTARY_API_URL: local, TRIBUTARY_API_TOKEN: "nope" });
      assert.equal(wrongToken.code, 2);
      assert.match(wrongToken.stderr, /refused the token/);
    } finally {
      await stop(server);
    }
  });

  it("survives SIGKILL during a burst of 1,000 writes: integrity ok, nothing acknowledged lost, in-flight runs Crashed, schedules not duplicated", async () => {
    let { process: server, url } = await startServer(workspace);
    const deploy = await workspace.run(["deploy", "deployed-flows.ts"], { TRIBUTARY_API_URL: url });
    assert.equal(deploy.code, 0, deploy.stderr);
    // A run in flight in the worker, seen Running on the event stream.
    const stream = new WebSocket(`${url.replace("http", "ws")}/api/events/stream`);
    await new Promise((resolve) => stream.once("open", resolve));
    const hang = (await (await fetch(`${url}/api/deployments/hang%2Fone-at-a-time/runs`, { method: "POST", body: "{}" })).json()) as FlowRunRecord;
    await new Promise<void>((resolve) =>
      stream.on("message", (data) => {
        const event = JSON.parse(String(data)) as { event: string; resource: { id: string } };
        if (event.event === "tributary.flow-run.Running" && event.resource.id === `tributary.flow-run.${hang.id}`) resolve();
      }),
    );
    stream.terminate();

    // 1,000 run creations (scheduled far ahead, so the worker leaves them), 25 in flight at a time;
    // the server is killed once 300 have been acknowledged.
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const sender = async () => {
      while (next < 1000 && !killed) {
        const i = next++;
        try {
          const response = await fetch(`${url}/api/deployments/add%2Fdefault/runs`, {
            method: "POST",
            body: JSON.stringify({ scheduledTime: later, idempotencyKey: `burst-${i}` }),
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as FlowRunRecord).id);
        } catch {
          return; // the server is gone
        }
        if (acknowledged.length >= 300 && !killed) {
          killed = true;
          server.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 25 }, sender));
    await server.result;
    assert.ok(killed, "the server was killed mid-burst");

    ({ process: server, url } = await startServer(workspace));
    try {
      const db = openSqliteConnection(workspace.dbPath, { readonly: true });
      try {
        assert.equal(db.pragma("integrity_check"), "ok");
        const stored = new Set((db.prepare("SELECT id FROM flow_runs").all() as { id: string }[]).map((row) => row.id));
        assert.deepEqual(acknowledged.filter((id) => !stored.has(id)), [], "every acknowledged run was committed");
        const keys = db.prepare("SELECT idempotency_key AS k, count(*) AS n FROM flow_runs WHERE idempotency_key IS NOT NULL GROUP BY deployment_id, k HAVING n > 1").all();
        assert.deepEqual(keys, [], "no duplicate scheduled or idempotent runs");
        const hourly = db.prepare("SELECT count(*) AS n FROM flow_runs WHERE idempotency_key LIKE 'schedule:%'").get() as { n: number };
        assert.ok(hourly.n >= 3 && hourly.n <= 4, `hourly runs ahead: ${hourly.n}`);
      } finally {
        db.close();
      }
      // The run that was executing ends Crashed (its process saw the server go, or the new server found it dead).
      const crashed = await waitForState(url, hang.id, "Crashed");
      assert.match(crashed.state.message ?? "", /went away|is gone/);
    } finally {
      await stop(server);
    }
  });
});

describe("a running server and a tributary run whose processes die", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("ends the run Crashed within seconds, from the pid it reported", async () => {
    const { process: server, url } = await startServer(workspace);
    try {
      const stream = new WebSocket(`${url.replace("http", "ws")}/api/events/stream`);
      await new Promise((resolve) => stream.once("open", resolve));
      const running = new Promise<FlowRunRecord>((resolve) =>
        stream.on("message", (data) => {
          const event = JSON.parse(String(data)) as { event: string; payload: { flowRun?: FlowRunRecord } };
          if (event.event === "tributary.flow-run.Running" && event.payload.flowRun?.flowName === "long-flow") resolve(event.payload.flowRun);
        }),
      );
      const command = workspace.start(["run", "long-flow.ts"], { TRIBUTARY_API_URL: url });
      const run = await running;
      stream.terminate();
      // Both processes die at once: nobody is left to mark the run.
      process.kill(run.pid!, "SIGKILL");
      command.kill("SIGKILL");
      await command.result;
      const crashed = await waitForState(url, run.id, "Crashed");
      assert.match(crashed.state.message ?? "", /The process executing this run is gone|killed by SIGKILL/);
    } finally {
      await stop(server);
    }
  });
});

/** Follows the stream until the run is in `state` (reading the run first, in case it already is). */
async function waitForState(url: string, id: string, state: string): Promise<FlowRunRecord> {
  const stream = new WebSocket(`${url.replace("http", "ws")}/api/events/stream`);
  try {
    const seen = new Promise<FlowRunRecord>((resolve) =>
      stream.on("message", (data) => {
        const event = JSON.parse(String(data)) as { event: string; payload: { flowRun: FlowRunRecord } };
        if (event.event === `tributary.flow-run.${state}` && event.payload.flowRun?.id === id) resolve(event.payload.flowRun);
      }),
    );
    await new Promise((resolve) => stream.once("open", resolve));
    const current = (await (await fetch(`${url}/api/flow-runs/${id}`)).json()) as FlowRunRecord;
    if (current.state.name === state) return current;
    return await seen;
  } finally {
    stream.terminate();
  }
}
