import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { processesUsing, removeWorkspace } from "./remove-workspace.js";

/** Whether the process runs (a zombie, exited but not yet reaped, does not). */
function isRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0] !== "Z";
  } catch {
    return false;
  }
}

function node(script: string, options: { cwd: string; args?: string[] }): ChildProcess {
  return spawn(process.execPath, ["-e", script, "--", ...(options.args ?? [])], { cwd: options.cwd, stdio: ["pipe", "ignore", "inherit"] });
}

// Like a spare runner whose server was SIGKILLed: once its parent is gone (stdin ends) it goes on
// creating and deleting files in its directory for a while (opening, then closing a store), then exits.
const CHURN_AFTER_PARENT_GOES = `
  const fs = require("node:fs");
  process.stdin.resume();
  process.stdin.on("end", () => {
    const until = Date.now() + 4000;
    let i = 0;
    const churn = () => {
      try { fs.writeFileSync("store-" + (i++ % 8) + "-wal", "x"); fs.rmSync("store-" + (i % 8) + "-wal", { force: true }); } catch {}
      if (Date.now() < until) setImmediate(churn); else process.exit(0);
    };
    churn();
  });`;

describe("removeWorkspace", { skip: process.platform === "linux" ? false : "reads /proc: Linux only", timeout: 120_000 }, () => {
  it("waits for a process still writing in the directory to be gone, then removes it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-remove-"));
    const child = node(CHURN_AFTER_PARENT_GOES, { cwd: dir });
    assert.deepEqual(processesUsing(dir).map((user) => [user.pid, user.how]), [[child.pid, "cwd"]]);
    child.stdin!.end();
    await removeWorkspace(dir);
    assert.equal(isRunning(child.pid!), false, "the process had exited when the directory was removed");
    assert.equal(existsSync(dir), false);
  });

  it("fails naming the process when one is still there at the deadline, and removes nothing", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-remove-"));
    const child = node("setInterval(() => {}, 60_000)", { cwd: dir });
    try {
      await assert.rejects(removeWorkspace(dir, { timeoutMs: 300 }), (error: Error) => {
        assert.match(error.message, new RegExp(`still used after 0.3 s by:\\n  pid ${child.pid} \\(cwd\\): \\S*node -e setInterval`));
        assert.match(error.message, /end them \(and wait for them to exit\)/);
        return true;
      });
      assert.equal(existsSync(dir), true);
    } finally {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
    await removeWorkspace(dir);
    assert.equal(existsSync(dir), false);
  });

  it("sees a process that names the directory only in an argument, as a spare runner names its store", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-remove-"));
    const child = node("setInterval(() => {}, 60_000)", { cwd: os.tmpdir(), args: ["--store", path.join(dir, ".tributary", "tributary.db")] });
    try {
      assert.deepEqual(processesUsing(dir).map((user) => [user.pid, user.how]), [[child.pid, "argument"]]);
    } finally {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
    await removeWorkspace(dir);
  });
});
