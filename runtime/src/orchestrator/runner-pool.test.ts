import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import { RunnerPool } from "./runner-pool.js";
import { builtWorker, ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the runner pool's spares", { timeout: 60_000 }, () => {
  it("keeps one started, replaces one that dies idle, and kills every runner on close", async () => {
    const spawned: ChildProcess[] = [];
    let next: ((child: ChildProcess) => void) | undefined;
    const pool = new RunnerPool({
      runnerFile: builtWorker.runnerFile,
      spares: 1,
      env: () => process.env,
      watchdog: {},
      onError: (error) => assert.fail(String(error)),
      onSpawned: (child) => {
        spawned.push(child);
        next?.(child);
      },
    });
    try {
      assert.equal(spawned.length, 1);
      await pool.whenReady();
      assert.deepEqual(pool.idlePids, [spawned[0]!.pid]);
      const replaced = new Promise<ChildProcess>((resolve) => (next = resolve));
      spawned[0]!.kill("SIGKILL");
      const replacement = await replaced;
      assert.notEqual(replacement.pid, spawned[0]!.pid);
      assert.deepEqual(pool.idlePids, [replacement.pid]);
    } finally {
      await pool.close();
    }
    // Not a zombie either: close resolves once the runner has exited and been reaped, so that a
    // workspace can be removed right after without racing the runner's last writes.
    assert.equal(isAlive(spawned.at(-1)!.pid!), false, "close kills the idle spare and waits for it to be gone");
  });

  it("backs off when spares keep dying instead of restarting them in a hot loop", async () => {
    const spawnedAt: number[] = [];
    let sixth: () => void = () => undefined;
    const sixthStarted = new Promise<void>((resolve) => (sixth = resolve));
    const pool = new RunnerPool({
      runnerFile: __filename.replace(/runner-pool\.test\.ts$/, "test-support/exits-at-once.cjs"),
      spares: 1,
      env: () => process.env,
      watchdog: {},
      onError: () => undefined,
      onSpawned: () => {
        spawnedAt.push(Date.now());
        if (spawnedAt.length === 6) sixth();
      },
    });
    try {
      await sixthStarted;
      // The restart delay doubles: 100, 200, 400, 800, then 1,600 ms before the sixth start.
      const gaps = spawnedAt.slice(1).map((at, i) => at - spawnedAt[i]!);
      assert.ok(gaps[4]! >= 1600, `gaps between starts: ${gaps.join(", ")} ms`);
      assert.ok(gaps[4]! > gaps[0]!, `gaps between starts: ${gaps.join(", ")} ms`);
    } finally {
      await pool.close();
    }
  });
});

describe("the worker's runners", { timeout: 180_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  const route = (name: string) => `/api/deployments/${encodeURIComponent(name)}/runs`;
  const startRun = async (name: string): Promise<FlowRunRecord> => {
    const response = await server.api<FlowRunRecord>("POST", route(name), {});
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const ended = async (run: FlowRunRecord, state: string): Promise<FlowRunRecord> =>
    ((await server.waitForRunState(run.id, state)).payload as unknown as { flowRun: FlowRunRecord }).flowRun;
  const resultOf = async (name: string): Promise<unknown> => {
    const run = await startRun(name);
    await server.waitForRunState(run.id, "Completed");
    return (await server.store.getFlowRun(run.id))!.result;
  };

  const writeVersion = (n: number) =>
    writeFileSync(path.join(workspace.dir, "version.ts"), `import { flow } from "tributaryjs";\nexport const version = flow("version", async () => ${n});\n`);

  before(async () => {
    server = await workspace.start({ scheduler: false });
    await server.subscribe();
    writeVersion(1);
    const file = (exportName: string) => `blast-radius.ts:${exportName}`;
    await server.register([
      { name: "where-am-i/default", export: "whereAmI" },
      { name: "where-am-i/isolated", export: "whereAmI", isolation: "process" },
      { name: "hang/plain", export: "hang" },
      ...["bystander", "throws-in-timer", "rejects-unhandled", "calls-exit", "leaks-interval", "counts-leak", "pid"].map((flowName) => ({
        name: `${flowName}/default`,
        export: flowName.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
        entrypoint: file(flowName.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())),
      })),
      { name: "version/default", export: "version", entrypoint: "version.ts:version" },
    ]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("runs a project's runs in one runner process, in the deployment's directory, told where the server is", async () => {
    const results: { cwd: string; apiUrl: string; pid: number }[] = [];
    for (let i = 0; i < 3; i++) results.push((await resultOf("where-am-i/default")) as never);
    for (const result of results) {
      assert.equal(realpathSync(result.cwd), realpathSync(server.workDir));
      assert.equal(result.apiUrl, server.url);
      assert.notEqual(result.pid, process.pid);
    }
    assert.equal(new Set(results.map((r) => r.pid)).size, 1, `pids: ${results.map((r) => r.pid).join(", ")}`);
  });

  it("gives each run of an isolation: \"process\" deployment a process of its own", async () => {
    const shared = ((await resultOf("where-am-i/default")) as { pid: number }).pid;
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) pids.push(((await resultOf("where-am-i/isolated")) as { pid: number }).pid);
    assert.equal(new Set(pids).size, 3, `pids: ${pids.join(", ")}`);
    assert.ok(!pids.includes(shared), "not the project's shared runner");
  });

  it("ends only the run that throws outside its promise chain, calls process.exit or leaves timers running", async () => {
    const runnerPid = (await resultOf("pid/default")) as number;
    const bystander = await startRun("bystander/default");
    await server.waitForRunState(bystander.id, "Paused");

    const crashes = await Promise.all(
      ["throws-in-timer/default", "rejects-unhandled/default", "calls-exit/default"].map(async (name) => ended(await startRun(name), "Crashed")),
    );
    const messages = crashes.map((run) => run.state.message ?? "");
    assert.match(messages[0]!, /threw outside its promise chain.*boom from a timer/);
    assert.match(messages[1]!, /rejected and nothing handled it.*nobody caught me/);
    assert.match(messages[2]!, /called process\.exit\(3\).*isolation: "process"/);
    for (const run of crashes) assert.equal((await server.store.getFlowRun(run.id))!.pid, runnerPid, "executed in the shared runner");

    const ticked = (await resultOf("leaks-interval/default")) as number;
    assert.ok(ticked >= 3);
    const counted = (await resultOf("counts-leak/default")) as { before: number; after: number; live: number };
    assert.equal(counted.live, 20, "the next run's own interval ticked");
    assert.equal(counted.after, counted.before, "while the interval the finished run left behind did not: it was cleared");

    // The process lived on: the paused run resumes in it and completes.
    const resumed = await server.api("POST", `/api/flow-runs/${bystander.id}/resume`);
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    await server.waitForRunState(bystander.id, "Completed");
    assert.equal((await server.store.getFlowRun(bystander.id))!.result, runnerPid);
    assert.equal(await resultOf("pid/default"), runnerPid, "the same runner takes the next run");
  });

  it("ends every run of a runner that dies Crashed, and starts the next run in a new one", async () => {
    const runnerPid = (await resultOf("pid/default")) as number;
    const hanging = [await startRun("hang/plain"), await startRun("hang/plain")];
    for (const run of hanging) await server.waitForRunState(run.id, "Running");
    process.kill(runnerPid, "SIGKILL");
    for (const run of hanging) {
      const crashed = await ended(run, "Crashed");
      assert.match(crashed.state.message ?? "", /killed by SIGKILL/);
    }
    const next = (await resultOf("pid/default")) as number;
    assert.notEqual(next, runnerPid);
  });

  it("runs the new code once the flow's source changes", async () => {
    assert.equal(await resultOf("version/default"), 1);
    writeVersion(2);
    assert.equal(await resultOf("version/default"), 2);
  });
});

describe("a runner slow to load", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  after(() => workspace.dispose());

  it("is not taken for frozen before it has loaded: the pool speaks for its run until it is ready", async () => {
    // Heartbeats every 200 ms, silence for 1 s is frozen — and the runner takes 2.5 s to load.
    const server = await workspace.start({
      scheduler: false,
      automationEngine: false,
      worker: { ...builtWorker, runnerFile: path.join(__dirname, "test-support", "slow-to-load-runner.mjs"), heartbeatMs: 200, spareRunners: 0 },
      heartbeatTimeoutMs: 1000,
    });
    try {
      await server.subscribe();
      await server.register([{ name: "add/default", export: "add" }]);
      const run = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent("add/default")}/runs`, {});
      assert.equal(run.status, 201, JSON.stringify(run.body));
      const final = await server.waitForEvent(
        (e) => e.resource.id === `tributary.flow-run.${run.body.id}` && ["tributary.flow-run.Completed", "tributary.flow-run.Crashed"].includes(e.event),
      );
      assert.equal(final.event, "tributary.flow-run.Completed", JSON.stringify(final.payload));
      assert.equal((await server.store.getFlowRun(run.body.id))!.result, 3);
    } finally {
      await server.close();
    }
  });
});

