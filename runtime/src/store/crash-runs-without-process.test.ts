import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { makeState } from "../states.js";
import { crashRunsWithoutProcess } from "./crash-runs-without-process.js";
import type { FlowRunRecord } from "./records.js";
import { thisRunProcess } from "./run-process.js";
import { openSqliteStore, type SqliteStore } from "./sqlite-store.js";

const t0 = new Date("2026-01-01T00:00:00Z");

function runningRun(id: string, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return {
    id,
    name: `name-${id}`,
    flowName: "etl",
    state: makeState("Running", t0),
    parameters: {},
    tags: [],
    runCount: 1,
    createdAt: t0.toISOString(),
    ...thisRunProcess(),
    ...overrides,
  };
}

describe("crashRunsWithoutProcess (a real store, this process standing in for a run's)", () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "tributary-crash-sweep-"));
    store = openSqliteStore(path.join(dir, "tributary.db"));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores pid, host and start time as given, and changes them with a patch", async () => {
    store.createFlowRun(runningRun("a", { pid: 11, host: "h1", processStartTime: 5 }));
    await store.flush();
    store.updateFlowRun("a", { state: makeState("Running", t0), pid: 12, host: "h2", processStartTime: 6 });
    const run = await store.getFlowRun("a");
    assert.deepEqual([run?.pid, run?.host, run?.processStartTime], [12, "h2", 6]);
  });

  it("leaves alone a run whose process is this one, and one of another host", async () => {
    store.createFlowRun(runningRun("mine"));
    store.createFlowRun(runningRun("remote", { host: `not-${os.hostname()}`, processStartTime: 1 }));
    assert.deepEqual(await crashRunsWithoutProcess(store, t0), []);
    assert.equal((await store.getFlowRun("mine"))?.state.name, "Running");
    assert.equal((await store.getFlowRun("remote"))?.state.name, "Running");
  });

  it(
    "ends Crashed, with its subflow, a run whose pid is alive but belongs to a process started at another time",
    { skip: thisRunProcess().processStartTime === undefined && "no /proc here" },
    async () => {
      const me = thisRunProcess();
      store.createFlowRun(runningRun("reused", { processStartTime: me.processStartTime! + 1 }));
      store.createFlowRun(runningRun("child", { parentFlowRunId: "reused", processStartTime: me.processStartTime! + 1 }));
      const crashed = await crashRunsWithoutProcess(store, t0);
      assert.deepEqual(crashed.map((run) => run.id), ["reused"]);
      assert.match(crashed[0]!.state.message ?? "", new RegExp(`^The process executing this run is gone \\(pid ${process.pid} on `));
      assert.equal((await store.getFlowRun("child"))?.state.name, "Crashed");
    },
  );
});
