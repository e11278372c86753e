import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import os from "node:os";
import { describe, it } from "node:test";
import { isRunProcessGone, thisRunProcess } from "./run-process.js";

const hasProc = existsSync("/proc/self/stat");

describe("isRunProcessGone", () => {
  it("records this process's pid, host and (with /proc) start time", () => {
    const me = thisRunProcess();
    assert.equal(me.pid, process.pid);
    assert.equal(me.host, os.hostname());
    if (hasProc) assert.ok(Number.isSafeInteger(me.processStartTime) && me.processStartTime! > 0, `start time ${me.processStartTime}`);
  });

  it("takes a live process with the recorded start time for the run's", () => {
    assert.equal(isRunProcessGone(thisRunProcess()), false);
  });

  it("counts a live pid with a different start time as gone: the pid was reused", { skip: !hasProc && "no /proc here" }, () => {
    const me = thisRunProcess();
    assert.equal(isRunProcessGone({ ...me, processStartTime: me.processStartTime! - 1 }), true);
  });

  it("counts a dead pid as gone", async () => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    const pid = child.pid!;
    await once(child, "exit");
    assert.equal(isRunProcessGone({ pid, host: os.hostname() }), true);
  });

  it("never judges a run of another host, or one without a pid", async () => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    const pid = child.pid!;
    await once(child, "exit");
    assert.equal(isRunProcessGone({ pid, host: `not-${os.hostname()}` }), false);
    assert.equal(isRunProcessGone({}), false);
  });
});
