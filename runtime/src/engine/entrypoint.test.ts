import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { runFlowEntrypoint } from "./entrypoint.js";
import { getRunContext } from "./run-context.js";
import { configureRuntime, getRuntime } from "./runtime-config.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

describe("runFlowEntrypoint", () => {
  it("runs a top-level run with the given id, entrypoint and tags, and resolves to the final record", async () => {
    const etl = flow("etl", { tags: ["nightly"] }, async ({ n }: { n: number }) => n + 1);
    const id = randomUUID();
    const record = await runFlowEntrypoint(etl, { n: 1 }, { flowRunId: id, entrypoint: "flows/etl.ts:etl", tags: ["manual"] });
    assert.equal(record.id, id);
    assert.equal(record.state.name, "Completed");
    assert.equal(record.result, 2);
    assert.equal(record.entrypoint, "flows/etl.ts:etl");
    assert.deepEqual(record.tags, ["nightly", "manual"]);
    assert.equal(record.pid, process.pid);
    assert.equal(record.parentFlowRunId, undefined);
    const stored = await rt.store.getFlowRun(id);
    assert.equal(stored?.state.name, "Completed");
  });

  it("does not throw for a failed run or bad parameters", async () => {
    const broken = flow("broken", async (_p: { when?: unknown }) => {
      throw new Error("no");
    });
    const failed = await runFlowEntrypoint(broken, {});
    assert.equal(failed.state.name, "Failed");
    const invalid = await runFlowEntrypoint(broken, { when: () => 1 });
    assert.equal(invalid.state.name, "Failed");
    assert.match(invalid.state.message ?? "", /Parameter `when` of flow "broken" is not a JSON value: got a function/);
  });

  it("runs an existing Scheduled run under its own id, keeping its deployment, parent link and chain", async () => {
    const etl = flow("etl", { tags: ["nightly"] }, async ({ n }: { n: number }) => n * 2);
    const id = randomUUID();
    const scheduled = {
      id,
      name: "scheduled-otter",
      flowName: "etl",
      deploymentId: "d1",
      parentFlowRunId: "parent-1",
      chain: [{ kind: "deployment" as const, id: "d1", name: "etl/nightly" }],
      state: { type: "SCHEDULED" as const, name: "Scheduled" as const, timestamp: new Date(0).toISOString() },
      parameters: { n: 4 },
      tags: ["deployed"],
      runCount: 0,
      createdAt: new Date(0).toISOString(),
      expectedStartTime: new Date(0).toISOString(),
    };
    rt.store.createFlowRun(scheduled);
    const record = await runFlowEntrypoint(etl, scheduled.parameters, { existingRun: scheduled });
    assert.deepEqual([record.id, record.name, record.state.name, record.result], [id, "scheduled-otter", "Completed", 8]);
    const stored = await rt.store.getFlowRun(id);
    assert.deepEqual([stored?.deploymentId, stored?.parentFlowRunId, stored?.chain, stored?.pid], ["d1", "parent-1", scheduled.chain, process.pid]);
    assert.deepEqual((await rt.store.getStateHistory(id)).map((s) => s.name), ["Scheduled", "Pending", "Running", "Completed"]);
    assert.equal((await rt.store.listFlowRuns()).length, 1);
  });

  it("runs an existing run again (a server retry) as Running, counting retries afresh", async () => {
    let calls = 0;
    const flaky = flow("flaky", { retries: 1 }, async () => {
      calls++;
      if (calls === 1) throw new Error("first attempt fails");
      return "ok";
    });
    const id = randomUUID();
    const earlier = {
      id,
      name: "retried-heron",
      flowName: "flaky",
      deploymentId: "d1",
      state: { type: "SCHEDULED" as const, name: "Scheduled" as const, timestamp: new Date(0).toISOString() },
      parameters: {},
      tags: [],
      runCount: 2,
      createdAt: new Date(0).toISOString(),
    };
    rt.store.createFlowRun(earlier);
    const record = await runFlowEntrypoint(flaky, {}, { existingRun: earlier });
    assert.deepEqual([record.state.name, record.runCount], ["Completed", 4]);
    assert.deepEqual((await rt.store.getStateHistory(id)).map((s) => s.name), ["Scheduled", "Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]);
  });

  it("records on a deployment run what its retries still cover as each attempt starts: attempts left, and the next delay", async () => {
    const seen: unknown[] = [];
    let calls = 0;
    const flaky = flow("flaky", { retries: 2, retryDelaySeconds: [0, 5] }, async () => {
      calls++;
      seen.push((await rt.store.getFlowRun(id))?.retryBudget);
      if (calls < 3) throw new Error(`attempt ${calls} fails`);
      return "ok";
    });
    const id = randomUUID();
    const scheduled = deploymentRun(id, "flaky");
    rt.store.createFlowRun(scheduled);
    const running = runFlowEntrypoint(flaky, {}, { existingRun: scheduled });
    await rt.clock.whenSleeping(); // the second retry's 5 s
    rt.clock.advance(5000);
    const record = await running;
    assert.deepEqual([record.state.name, record.runCount], ["Completed", 3]);
    assert.deepEqual(seen, [{ left: 2, delayMs: 0 }, { left: 1, delayMs: 5000 }, { left: 0, delayMs: 0 }]);
    // A run of no deployment has nothing to retry it after a crash: nothing recorded.
    const local = await runFlowEntrypoint(flow("local", { retries: 2 }, async () => 1), {});
    assert.equal((await rt.store.getFlowRun(local.id))?.retryBudget, undefined);
  });

  it("runs a run rescheduled after a crash with only the attempts its retries had left, numbering the retries on", async () => {
    const counts: number[] = [];
    const failing = flow("failing", { retries: 3 }, async () => {
      counts.push(getRunContext().flowRunCount);
      throw new Error(`attempt ${counts.length} fails`);
    });
    const id = randomUUID();
    // Its second attempt (retry 1 of 3) crashed, with two attempts left after it: rescheduled for the
    // first of them, with one more after that.
    const rescheduled = { ...deploymentRun(id, "failing"), runCount: 2, retryBudget: { left: 1, delayMs: 0, carried: true as const } };
    rt.store.createFlowRun(rescheduled);
    const record = await runFlowEntrypoint(failing, {}, { existingRun: rescheduled });
    assert.deepEqual([record.state.name, record.runCount], ["Failed", 4]);
    assert.deepEqual(counts, [3, 4], "two attempts, the body told which: the crashed one's retry and one more");
    const history = await rt.store.getStateHistory(id);
    assert.deepEqual(history.map((s) => s.name), ["Scheduled", "Pending", "Retrying", "AwaitingRetry", "Retrying", "Failed"]);
    assert.match(history[3]!.message ?? "", /^Retry 3 of 3 /);
  });

  it("refuses something that is not a flow", async () => {
    await assert.rejects(runFlowEntrypoint((() => 1) as never, {}), /Expected a flow made with flow\(\.\.\.\)/);
  });

  it("records Crashed and calls onCrashed when the engine itself fails", async () => {
    let failed = false;
    const faulty = new Proxy(rt.store as Store, {
      get(target, key, receiver) {
        if (key === "updateFlowRun") {
          return (id: string, patch: { state?: { name: string } }) => {
            if (patch.state?.name === "Running" && !failed) {
              failed = true;
              throw new Error("disk unplugged");
            }
            target.updateFlowRun(id, patch as never);
          };
        }
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    configureRuntime({ store: faulty });
    const crashedStates: string[] = [];
    const f = flow("crashes", { onCrashed: (_run, state) => void crashedStates.push(state.name) }, async () => "never");
    const record = await runFlowEntrypoint(f, {});
    assert.equal(record.state.name, "Crashed");
    assert.match(record.state.message ?? "", /The engine failed while running this flow: disk unplugged/);
    assert.deepEqual(crashedStates, ["Crashed"]);
    assert.equal((await rt.store.getFlowRun(record.id))?.state.name, "Crashed");
  });
});

describe("the default runtime", () => {
  it("keeps the configuration on globalThis under Symbol.for, so bundled copies share it", () => {
    const shared = (globalThis as Record<symbol, { config: { store?: unknown; clock: unknown } }>)[Symbol.for("tributary.runtime")];
    assert.equal(shared?.config.store, rt.store);
    assert.equal(getRuntime().store, rt.store);
    assert.equal(getRuntime().clock, rt.clock);
  });

  it("opens the SQLite store under TRIBUTARY_HOME on first use, and flushes it", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "tributary-home-"));
    try {
      const flowModule = path.join(__dirname, "..", "flow.ts");
      const script = `require(${JSON.stringify(flowModule)}).flow("default-store", async () => "stored")().catch((e) => { console.error(e); process.exit(1); });`;
      const child = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
        env: { ...process.env, TRIBUTARY_HOME: home },
        encoding: "utf8",
      });
      assert.equal(child.status, 0, child.stderr);
      const store = openSqliteStore(path.join(home, "tributary.db"));
      try {
        const [run] = await store.listFlowRuns({ flowName: "default-store" });
        assert.equal(run?.state.name, "Completed");
        assert.equal(run?.result, "stored");
      } finally {
        await store.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/** A Scheduled run of deployment "d1", as a worker hands it to the engine. */
function deploymentRun(id: string, flowName: string): FlowRunRecord {
  return {
    id,
    name: "scheduled-otter",
    flowName,
    deploymentId: "d1",
    state: { type: "SCHEDULED", name: "Scheduled", timestamp: new Date(0).toISOString() },
    parameters: {},
    tags: [],
    runCount: 0,
    createdAt: new Date(0).toISOString(),
  };
}
