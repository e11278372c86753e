import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { realpathSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import { SpareRunners } from "./spare-runners.js";
import { builtWorker, ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("spare runners", { timeout: 60_000 }, () => {
  it("keeps one started, hands it out once, replaces it, and kills the idle one on close", async () => {
    const spawned: ChildProcess[] = [];
    let next: ((child: ChildProcess) => void) | undefined;
    const spares = new SpareRunners({
      runnerFile: builtWorker.runnerFile,
      count: 1,
      env: () => process.env,
      onError: (error) => assert.fail(String(error)),
      onSpawned: (child) => {
        spawned.push(child);
        next?.(child);
      },
    });
    try {
      assert.equal(spawned.length, 1);
      const first = spares.take();
      assert.equal(first, spawned[0]);
      const second = new Promise<ChildProcess>((resolve) => (next = resolve));
      assert.equal(spawned.length, 1, "the next spare is started once the taken one has its run");
      await second;
      assert.equal(spawned.length, 2, "taking a spare starts the next one at once");
      assert.deepEqual(spares.idlePids, [spawned[1]!.pid]);
      first!.kill("SIGKILL");

      // An idle spare that dies is replaced.
      const replaced = new Promise<ChildProcess>((resolve) => (next = resolve));
      const dying = spawned[1]!;
      dying.kill("SIGKILL");
      const replacement = await replaced;
      assert.notEqual(replacement.pid, dying.pid);
      assert.deepEqual(spares.idlePids, [replacement.pid]);
    } finally {
      await spares.close();
    }
    // Not a zombie either: close resolves once the spare has exited and been reaped, so that a
    // workspace can be removed right after without racing the spare's last writes.
    assert.equal(isAlive(spawned.at(-1)!.pid!), false, "close kills the idle spare and waits for it to be gone");
  });

  it("backs off when spares keep dying instead of restarting them in a hot loop", async () => {
    const spawnedAt: number[] = [];
    let sixth: () => void = () => undefined;
    const sixthStarted = new Promise<void>((resolve) => (sixth = resolve));
    const spares = new SpareRunners({
      runnerFile: __filename.replace(/spare-runners\.test\.ts$/, "test-support/exits-at-once.cjs"),
      count: 1,
      env: () => process.env,
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
      await spares.close();
    }
  });
});

describe("the worker with a spare runner", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false });
    await server.subscribe();
    await server.register([{ name: "where-am-i/default", export: "whereAmI" }]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("runs each run in its own process, in the deployment's directory, told where the server is", async () => {
    const route = `/api/deployments/${encodeURIComponent("where-am-i/default")}/runs`;
    const results: { cwd: string; apiUrl: string; pid: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const run = (await server.api<FlowRunRecord>("POST", route, {})).body;
      const completed = await server.waitForRunState(run.id, "Completed");
      results.push((completed.payload as unknown as { flowRun: FlowRunRecord }).flowRun.result as never);
    }
    for (const result of results) {
      assert.equal(realpathSync(result.cwd), realpathSync(server.workDir));
      assert.equal(result.apiUrl, server.url);
      assert.notEqual(result.pid, process.pid);
    }
    assert.equal(new Set(results.map((r) => r.pid)).size, 3, "never two runs in one process");
  });
});
