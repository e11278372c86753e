import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";
import { openSqliteConnection } from "../../store/sqlite-driver.js";

/** Polls `read` until it gives a value, or fails after `deadlineMs` (no event says these things happened). */
async function waitFor<T>(what: string, read: () => T | undefined, deadlineMs = 60_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a process is gone: no /proc entry, or a zombie nobody has collected. */
function isGone(pid: number): boolean {
  if (!existsSync("/proc")) {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]!);
  } catch {
    return true;
  }
}

describe("a `tributary run` killed together with its flow's process, with no server", { timeout: 180_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("reads Crashed, with the whole tree, on the next command that opens the store", async () => {
    const cli = workspace.start(["run", "long-flow.ts"], {}, { detached: true });
    // The run is Running in the store, with the pid of the flow's process.
    const running = await waitFor("the run to be Running in the store", () => {
      if (!existsSync(workspace.dbPath)) return undefined;
      const db = openSqliteConnection(workspace.dbPath, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare(`SELECT id, pid, host, process_start_time FROM flow_runs WHERE state_name = 'Running'`).get() as
          | { id: string; pid: number | null; host: string | null; process_start_time: number | null }
          | undefined;
        return row?.pid != null ? row : undefined;
      } catch {
        return undefined; // the schema is still being created
      } finally {
        db.close();
      }
    });
    assert.ok(running.host, "the run records the host its process runs on");
    if (existsSync("/proc")) assert.ok(Number.isInteger(running.process_start_time), "the run records its process's start time");
    await cli.waitForLine(/\| INFO \| waiting in pid=\d+$/);
    // The task run is Running in the file too. The line shows as soon as it is logged; the task run's
    // row is committed a moment later (grouped commit), and a kill in between loses it.
    await waitFor("the task run to be Running in the store", () => {
      const db = openSqliteConnection(workspace.dbPath, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare(`SELECT state_name FROM task_runs WHERE flow_run_id = ?`).get(running.id) as { state_name: string } | undefined;
        return row?.state_name === "Running" ? true : undefined;
      } finally {
        db.close();
      }
    });

    process.kill(-cli.child.pid!, "SIGKILL");
    const killed = await cli.result;
    assert.equal(killed.signal, "SIGKILL");
    await waitFor(`the flow's process ${running.pid} to be gone`, () => (isGone(running.pid!) ? true : undefined));

    // Still Running in the file: nothing has looked at it since.
    const before = openSqliteConnection(workspace.dbPath, { readonly: true });
    try {
      assert.equal((before.prepare(`SELECT state_name FROM flow_runs WHERE id = ?`).get(running.id) as { state_name: string }).state_name, "Running");
    } finally {
      before.close();
    }

    const inspected = await workspace.run(["flow-run", "inspect", running.id, "--json"]);
    assert.equal(inspected.code, 0, inspected.stderr);
    const run = JSON.parse(inspected.stdout) as FlowRunJson;
    assert.equal(run.state.name, "Crashed");
    assert.match(run.state.message ?? "", new RegExp(`^The process executing this run is gone \\(pid ${running.pid} on .+\\)`));
    assert.equal(run.stateHistory.at(-1)!.name, "Crashed");
    assert.deepEqual(run.taskRuns.map((task) => task.state.name), ["Crashed"]);
    assert.equal(workspace.integrityCheck(), "ok");
  });
});
