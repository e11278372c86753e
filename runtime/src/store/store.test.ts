import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { makeState } from "../states.js";
import type { FlowRunRecord, TaskRunRecord } from "./records.js";
import type { Store } from "./store.js";
import type { DeploymentRecord, RegisteredGraph } from "../orchestrator/contract.js";
import { storeBackends, type TestStore } from "../test-support/store-backends.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function flowRun(id: string, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return {
    id,
    name: `name-${id}`,
    flowName: "etl",
    state: makeState("Pending", t0),
    parameters: { batch: 1 },
    tags: ["etl"],
    runCount: 0,
    createdAt: t0.toISOString(),
    ...overrides,
  };
}

function taskRun(id: string, flowRunId: string, overrides: Partial<TaskRunRecord> = {}): TaskRunRecord {
  return {
    id,
    flowRunId,
    name: `extract-${id}`,
    taskName: "extract",
    state: makeState("Pending", t0),
    attempts: 0,
    tags: [],
    upstreamTaskRunIds: [],
    createdAt: t0.toISOString(),
    ...overrides,
  };
}

function deploymentRecord(id: string): DeploymentRecord {
  return {
    id,
    name: `etl/${id}`,
    flowName: "etl",
    entrypoint: "flows.ts:etl",
    workDir: "/work",
    schedules: [],
    parameters: {},
    tags: [],
    paused: false,
    triggers: [],
    createdAt: t0.toISOString(),
    updatedAt: t0.toISOString(),
  };
}

// One suite for every store: SQLite on each driver, and PostgreSQL (store-backends.ts).
for (const backend of storeBackends()) {
  describe(`Store on ${backend.name}`, { skip: backend.skip }, () => {
    let opened: TestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(async () => {
      await opened.dispose();
    });

    it("keeps one record per worker, replaced by its next heartbeat, the last heard of first", async () => {
      const worker = (name: string, seconds: number) => ({ name, kind: "worker" as const, pools: ["default"], host: "h", pid: 1, startedAt: t0.toISOString(), lastHeartbeat: at(seconds).toISOString(), runs: seconds });
      await store.saveWorker(worker("w-1", 1));
      await store.saveWorker(worker("w-2", 2));
      await store.saveWorker({ ...worker("w-1", 3), stoppedAt: at(3).toISOString() });
      assert.deepEqual(
        (await store.listWorkers()).map((w) => [w.name, w.runs, w.stoppedAt ?? null]),
        [
          ["w-1", 3, at(3).toISOString()],
          ["w-2", 2, null],
        ],
      );
    });

    it("keeps one static graph per project root, replaced by the project's next deploy, in order of root", async () => {
      const graph = (root: string, seconds: number, flow: string): RegisteredGraph => ({
        root,
        nodes: [{ id: `flow:${flow}`, kind: "flow", name: flow, file: "a.ts", line: 1 }],
        edges: [],
        cycles: [],
        source: { files: ["a.ts"], deployedAt: at(seconds).toISOString() },
        updatedAt: at(seconds).toISOString(),
      });
      await store.saveRegisteredGraph(graph("/p/zeta", 1, "z"));
      await store.saveRegisteredGraph(graph("/p/alpha", 2, "a"));
      await store.saveRegisteredGraph(graph("/p/zeta", 3, "z2"));
      const stored = await store.listRegisteredGraphs();
      assert.deepEqual(
        stored.map((g) => [g.root, g.nodes[0]!.name, g.updatedAt]),
        [
          ["/p/alpha", "a", at(2).toISOString()],
          ["/p/zeta", "z2", at(3).toISOString()],
        ],
      );
      assert.deepEqual(stored[1], graph("/p/zeta", 3, "z2"), "the graph comes back as it was saved");
      const again = await opened.reopen();
      assert.equal((await again.listRegisteredGraphs()).length, 2, "another store on the same data sees them");
    });

    it("keeps a run written and changed within one batch, with every transition in order", async () => {
      store.createFlowRun(flowRun("a"));
      store.updateFlowRun("a", { state: makeState("Running", at(1)), startTime: at(1).toISOString(), runCount: 1, pid: 42 });
      store.updateFlowRun("a", { state: makeState("Completed", at(2), "done"), endTime: at(2).toISOString(), result: { rows: 3 } });
      const run = await store.getFlowRun("a");
      assert.equal(run?.state.name, "Completed");
      assert.equal(run?.state.message, "done");
      assert.deepEqual(run?.result, { rows: 3 });
      assert.equal(run?.runCount, 1);
      assert.equal(run?.pid, 42);
      assert.equal(run?.startTime, at(1).toISOString());
      assert.deepEqual(run?.parameters, { batch: 1 });
      const history = await store.getStateHistory("a");
      assert.deepEqual(history.map((s) => s.name), ["Pending", "Running", "Completed"]);
      assert.deepEqual(history.map((s) => s.timestamp), [t0, at(1), at(2)].map((d) => d.toISOString()));
    });

    it("patches a run committed earlier without losing fields the patch does not name", async () => {
      store.createFlowRun(flowRun("b"));
      await store.flush();
      store.updateFlowRun("b", { state: makeState("Running", at(1), "started"), startTime: at(1).toISOString() });
      await store.flush();
      store.updateFlowRun("b", { state: makeState("Failed", at(2)), endTime: at(2).toISOString() });
      const run = await store.getFlowRun("b");
      assert.equal(run?.state.name, "Failed");
      assert.equal(run?.state.message, undefined, "a new state replaces the old state's message");
      assert.equal(run?.startTime, at(1).toISOString());
      assert.equal(run?.endTime, at(2).toISOString());
      assert.deepEqual((await store.getStateHistory("b")).map((s) => s.name), ["Pending", "Running", "Failed"]);
    });

    it("lists runs newest first and filters by flow, state name, state type, parent and tag", async () => {
      store.createFlowRun(flowRun("p1", { flowName: "parent", tags: ["nightly"] }));
      store.createFlowRun(flowRun("c1", { flowName: "child", parentFlowRunId: "p1", state: makeState("Completed", t0) }));
      store.createFlowRun(flowRun("c2", { flowName: "child", parentFlowRunId: "p1", state: makeState("Cached", t0) }));
      assert.deepEqual((await store.listFlowRuns({ flowName: "child" })).map((r) => r.id), ["c2", "c1"]);
      assert.deepEqual((await store.listFlowRuns({ flowName: "child", sort: "created-asc" })).map((r) => r.id), ["c1", "c2"]);
      assert.deepEqual((await store.listFlowRuns({ state: "Cached" })).map((r) => r.id), ["c2"]);
      assert.deepEqual((await store.listFlowRuns({ state: "COMPLETED", flowName: "child" })).map((r) => r.id), ["c2", "c1"]);
      assert.deepEqual((await store.getSubflowRuns("p1")).map((r) => r.id), ["c1", "c2"]);
      assert.deepEqual((await store.listFlowRuns({ tags: ["nightly"] })).map((r) => r.id), ["p1"]);
      assert.equal((await store.listFlowRuns({ limit: 1 })).length, 1);
      const top = await store.listFlowRuns({ parentFlowRunId: null });
      assert.ok(top.every((r) => r.parentFlowRunId === undefined));
      assert.deepEqual((await store.findFlowRunsByIdPrefix("c")).map((r) => r.id).sort(), ["c1", "c2"]);
      assert.deepEqual(await store.findFlowRunsByIdPrefix("%"), [], "LIKE wildcards in a prefix are taken literally");
    });

    it("tells which of some flow runs have task runs or subflow runs", async () => {
      store.createFlowRun(flowRun("kids-tasks"));
      store.createTaskRun(taskRun("kids-t1", "kids-tasks"));
      store.createFlowRun(flowRun("kids-subflow"));
      store.createFlowRun(flowRun("kids-child", { parentFlowRunId: "kids-subflow" }));
      store.createFlowRun(flowRun("kids-none"));
      const found = await store.flowRunsWithChildren(["kids-tasks", "kids-subflow", "kids-child", "kids-none", "kids-missing"]);
      assert.deepEqual([...found].sort(), ["kids-subflow", "kids-tasks"]);
      assert.deepEqual([...(await store.flowRunsWithChildren([]))], []);
    });

    it("filters runs by start-time range (inclusive; runs not started never match) and by any of several tags", async () => {
      store.createFlowRun(flowRun("w1", { flowName: "window", tags: ["red"], startTime: at(10).toISOString() }));
      store.createFlowRun(flowRun("w2", { flowName: "window", tags: ["blue"], startTime: at(20).toISOString() }));
      store.createFlowRun(flowRun("w3", { flowName: "window", tags: ["red", "blue"], startTime: at(30).toISOString() }));
      store.createFlowRun(flowRun("w4", { flowName: "window", tags: ["green"], state: makeState("Scheduled", t0) }));
      const ids = async (filter: Parameters<Store["listFlowRuns"]>[0]) => (await store.listFlowRuns({ flowName: "window", sort: "created-asc", ...filter })).map((r) => r.id);
      assert.deepEqual(await ids({ startedAfter: at(20).toISOString() }), ["w2", "w3"]);
      assert.deepEqual(await ids({ startedBefore: at(20).toISOString() }), ["w1", "w2"]);
      assert.deepEqual(await ids({ startedAfter: at(11).toISOString(), startedBefore: at(29).toISOString() }), ["w2"]);
      assert.deepEqual(await ids({ anyTags: ["blue", "green"] }), ["w2", "w3", "w4"]);
      assert.deepEqual(await ids({ anyTags: ["red"], tags: ["blue"] }), ["w3"]);
    });

    it("keeps task runs with attempts, upstream links and results", async () => {
      store.createFlowRun(flowRun("f"));
      store.createTaskRun(taskRun("t1", "f", { mapIndex: 0, upstreamTaskRunIds: [] }));
      store.createTaskRun(taskRun("t2", "f", { upstreamTaskRunIds: ["t1"], tags: ["db"] }));
      await store.flush();
      store.updateTaskRun("t1", { state: makeState("Running", at(1)), attempts: 1 });
      store.updateTaskRun("t1", { state: makeState("AwaitingRetry", at(2)) });
      store.updateTaskRun("t1", { state: makeState("Retrying", at(3)), attempts: 2 });
      store.updateTaskRun("t1", { state: makeState("Completed", at(4)), result: [1, 2] });
      const [t1, t2] = await store.getTaskRuns("f");
      assert.equal(t1?.attempts, 2);
      assert.deepEqual(t1?.result, [1, 2]);
      assert.equal(t1?.mapIndex, 0);
      assert.deepEqual(t2?.upstreamTaskRunIds, ["t1"]);
      assert.deepEqual(t2?.tags, ["db"]);
      assert.deepEqual((await store.getStateHistory("t1")).map((s) => s.name), ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]);
      assert.equal((await store.getTaskRun("t2"))?.name, "extract-t2");
    });

    it("reads logs in order and after a known id", async () => {
      store.createFlowRun(flowRun("l"));
      for (let i = 0; i < 250; i++) store.appendLog({ flowRunId: "l", level: "info", message: `line ${i}`, timestamp: at(i).toISOString() });
      store.appendLog({ flowRunId: "l", taskRunId: "tx", level: "error", message: "boom", timestamp: at(999).toISOString() });
      const logs = await store.getLogs("l");
      assert.equal(logs.length, 251);
      assert.equal(logs[0]?.message, "line 0");
      assert.equal(logs[250]?.taskRunId, "tx");
      const newer = await store.getLogs("l", { afterId: logs[248]!.id });
      assert.deepEqual(newer.map((l) => l.message), ["line 249", "boom"]);
    });

    it("serves cache entries until they expire", async () => {
      store.writeCache({ key: "k", result: { v: 1 }, expiresAt: at(60).toISOString(), taskRunId: "t1" });
      store.writeCache({ key: "forever", result: "x", taskRunId: "t1" });
      assert.deepEqual((await store.readCache("k", at(59)))?.result, { v: 1 });
      assert.equal(await store.readCache("k", at(60)), undefined);
      assert.equal((await store.readCache("forever", at(1e9)))?.result, "x");
      assert.equal(await store.readCache("missing", t0), undefined);
    });

    it("gives concurrency slots up to the limit, all or none, and frees them on release", async () => {
      await store.createConcurrencyLimit("db", 2, t0);
      await store.createConcurrencyLimit("api", 1, t0);
      assert.equal(await store.tryAcquireConcurrencySlots(["db"], "s1", "f", t0), true);
      assert.equal(await store.tryAcquireConcurrencySlots(["db", "api"], "s2", "f", t0), true);
      assert.equal(await store.tryAcquireConcurrencySlots(["db"], "s3", "f", t0), false, "db is full");
      assert.equal(await store.tryAcquireConcurrencySlots(["unlimited"], "s4", "f", t0), true, "a tag without a limit needs no slot");
      assert.deepEqual((await store.listConcurrencyLimits()).map((l) => [l.tag, l.limit, l.active]), [["api", 1, 1], ["db", 2, 2]]);
      await store.releaseConcurrencySlots("s2");
      assert.deepEqual((await store.listConcurrencyLimits()).map((l) => l.active), [0, 1]);
      assert.equal(await store.tryAcquireConcurrencySlots(["db", "api"], "s3", "f", t0), true);
      assert.equal(await store.deleteConcurrencyLimit("api"), true);
      assert.equal(await store.deleteConcurrencyLimit("api"), false);
    });

    it("marks a run, its unfinished task runs and its subflows Crashed, and leaves final ones alone", async () => {
      store.createFlowRun(flowRun("root", { state: makeState("Running", t0) }));
      store.createFlowRun(flowRun("sub", { parentFlowRunId: "root", state: makeState("Running", t0) }));
      store.createFlowRun(flowRun("subsub", { parentFlowRunId: "sub", state: makeState("Running", t0) }));
      store.createFlowRun(flowRun("done-sub", { parentFlowRunId: "root", state: makeState("Completed", t0) }));
      store.createTaskRun(taskRun("rt", "subsub", { state: makeState("Running", t0), tags: ["gpu"] }));
      store.createTaskRun(taskRun("ft", "root", { state: makeState("Failed", t0) }));
      await store.createConcurrencyLimit("gpu", 1, t0);
      assert.equal(await store.tryAcquireConcurrencySlots(["gpu"], "rt", "subsub", t0), true);
      await store.markRunCrashed("root", "The process running the flow died.", at(5));
      for (const id of ["root", "sub", "subsub"]) {
        const run = await store.getFlowRun(id);
        assert.equal(run?.state.name, "Crashed", id);
        assert.equal(run?.state.message, "The process running the flow died.");
        assert.equal(run?.endTime, at(5).toISOString());
      }
      assert.equal((await store.getFlowRun("done-sub"))?.state.name, "Completed");
      assert.equal((await store.getTaskRun("rt"))?.state.name, "Crashed");
      assert.equal((await store.getTaskRun("ft"))?.state.name, "Failed");
      assert.deepEqual((await store.getStateHistory("rt")).map((s) => s.name), ["Running", "Crashed"]);
      assert.equal((await store.listConcurrencyLimits()).find((l) => l.tag === "gpu")?.active, 0, "a crashed task run's slot is freed");
    });

    it("ends a stopped run TimedOut and cancels what is unfinished under it", async () => {
      store.createFlowRun(flowRun("late", { state: makeState("Running", t0) }));
      store.createFlowRun(flowRun("late-sub", { parentFlowRunId: "late", state: makeState("Running", t0) }));
      store.createTaskRun(taskRun("late-task", "late-sub", { state: makeState("Running", t0) }));
      store.createTaskRun(taskRun("late-done", "late", { state: makeState("Completed", t0) }));
      const message = "The flow run exceeded its timeout of 2 s; its process did not respond and was stopped.";
      await store.endAbandonedRun("late", { state: "TimedOut", message }, at(5));
      assert.deepEqual((await store.getFlowRun("late"))?.state, makeState("TimedOut", at(5), message));
      assert.equal((await store.getFlowRun("late"))?.endTime, at(5).toISOString());
      assert.equal((await store.getFlowRun("late-sub"))?.state.name, "Cancelled");
      assert.equal((await store.getTaskRun("late-task"))?.state.name, "Cancelled");
      assert.equal((await store.getTaskRun("late-done"))?.state.name, "Completed");
      assert.deepEqual((await store.getStateHistory("late")).map((s) => s.name), ["Running", "TimedOut"]);
    });

    it("reschedules a crashed run its retries cover: Scheduled again, due after the delay, with the budget left; Crashed under it", async () => {
      await store.saveDeployment(deploymentRecord("dep-retry"));
      const process = { pid: 4242, host: "elsewhere", processStartTime: 77 };
      await store.createDeploymentRun(
        flowRun("retried", { state: makeState("Scheduled", t0), deploymentId: "dep-retry" }) as FlowRunRecord & { deploymentId: string },
      );
      store.updateFlowRun("retried", { state: makeState("Running", at(1)), runCount: 1, ...process, retryBudget: { left: 1, delayMs: 3000 } });
      store.createFlowRun(flowRun("retried-sub", { parentFlowRunId: "retried", state: makeState("Running", at(1)) }));
      store.createTaskRun(taskRun("retried-task", "retried", { state: makeState("Running", at(1)) }));
      assert.deepEqual((await store.getFlowRun("retried"))?.retryBudget, { left: 1, delayMs: 3000 }, "the engine's budget, stored");
      const retry = { message: "Crashed; retried in 3 s: gone", startAt: at(8), budget: { left: 0, delayMs: 0, carried: true as const }, seenStateAt: at(1).toISOString() };
      await store.endAbandonedRun("retried", { state: "Crashed", message: "gone", retry }, at(5));
      const run = await store.getFlowRun("retried");
      assert.deepEqual(run?.state, makeState("Scheduled", at(5), retry.message));
      assert.deepEqual([run?.expectedStartTime, run?.retryBudget, run?.endTime, run?.runCount], [at(8).toISOString(), retry.budget, undefined, 1]);
      assert.deepEqual((await store.getStateHistory("retried")).map((s) => s.name), ["Scheduled", "Running", "Scheduled"]);
      assert.equal((await store.getFlowRun("retried-sub"))?.state.name, "Crashed");
      assert.equal((await store.getTaskRun("retried-task"))?.state.name, "Crashed");
      // A second finder that judged the run as it was (Running) changes nothing: it is not in that state any more.
      await store.endAbandonedRun("retried", { state: "Crashed", message: "gone", retry }, at(6));
      assert.deepEqual((await store.getStateHistory("retried")).map((s) => s.name), ["Scheduled", "Running", "Scheduled"]);
      assert.equal((await store.getFlowRun("retried"))?.state.timestamp, at(5).toISOString());
      // The retry is a new execution (epoch 1): a claimer that read the run before it is too late.
      assert.equal((await store.getFlowRun("retried"))?.epoch, 1);
      assert.equal(await store.claimDueRun("retried", { at: at(9), workerName: "box-1", epoch: 0, tags: [] }), "taken");
      // Claimed again: the earlier execution's process is forgotten, so its death is not this one's.
      assert.equal(await store.claimDueRun("retried", { at: at(9), workerName: "box-1", epoch: 1, tags: [] }), "claimed");
      const claimed = await store.getFlowRun("retried");
      assert.deepEqual([claimed?.state.name, claimed?.pid, claimed?.host, claimed?.processStartTime], ["Pending", undefined, undefined, undefined]);
    });

    it("claims a due deployment run once: Pending with a heartbeat, no history of its own, and only from a waiting state", async () => {
      await store.saveDeployment(deploymentRecord("dep-claim"));
      for (const name of ["Scheduled", "Late", "AwaitingConcurrencySlot", "AwaitingRetry"] as const) {
        await store.createDeploymentRun(flowRun(`claim-${name}`, { state: makeState(name, t0), deploymentId: "dep-claim" }) as FlowRunRecord & { deploymentId: string });
      }
      for (const name of ["Scheduled", "Late", "AwaitingConcurrencySlot"]) {
        assert.equal(await store.claimDueRun(`claim-${name}`, { at: at(3), workerName: "box-1", epoch: 0, tags: [] }), "claimed", name);
        const run = await store.getFlowRun(`claim-${name}`);
        assert.deepEqual([run?.state.name, run?.heartbeat], ["Pending", at(3).toISOString()]);
        assert.deepEqual((await store.getStateHistory(`claim-${name}`)).map((s) => s.name), [name]);
        assert.equal(await store.claimDueRun(`claim-${name}`, { at: at(4), workerName: "box-1", epoch: 0, tags: [] }), "taken", `${name} claimed again`);
      }
      assert.equal(await store.claimDueRun("claim-AwaitingRetry", { at: at(3), workerName: "box-1", epoch: 0, tags: [] }), "taken", "a run waiting to retry is its process's");
      assert.equal(await store.claimDueRun("no-such-run", { at: at(3), workerName: "box-1", epoch: 0, tags: [] }), "taken");
    });

    it("claims within the deployment's limit counted in the store, and the tags' slots all or none", async () => {
      await store.saveDeployment(deploymentRecord("dep-limit"));
      const run = (id: string, tags: string[] = []) =>
        store.createDeploymentRun(flowRun(id, { state: makeState("Scheduled", t0), deploymentId: "dep-limit", tags }) as FlowRunRecord & { deploymentId: string });
      await run("lim-a");
      await run("lim-b");
      await run("lim-c", ["gpu-claim"]);
      const limit = { deploymentId: "dep-limit", limit: 2 };
      assert.equal(await store.claimDueRun("lim-a", { at: t0, workerName: "box-1", epoch: 0, tags: [], deploymentLimit: limit }), "claimed");
      store.updateFlowRun("lim-a", { state: makeState("Running", at(1)) });
      assert.equal(await store.claimDueRun("lim-b", { at: t0, workerName: "box-1", epoch: 0, tags: [], deploymentLimit: { ...limit, limit: 1 } }), "deployment-full");
      assert.equal((await store.getFlowRun("lim-b"))?.state.name, "Scheduled", "a refused claim changes nothing");
      assert.equal(await store.claimDueRun("lim-b", { at: t0, workerName: "box-1", epoch: 0, tags: [], deploymentLimit: limit }), "claimed");
      await store.createConcurrencyLimit("gpu-claim", 1, t0);
      assert.ok(await store.tryAcquireConcurrencySlots(["gpu-claim"], "other-task", "other-run", t0));
      assert.equal(await store.claimDueRun("lim-c", { at: t0, workerName: "box-1", epoch: 0, tags: ["gpu-claim"] }), "tags-full");
      assert.equal((await store.getFlowRun("lim-c"))?.state.name, "Scheduled");
      await store.releaseConcurrencySlots("other-task");
      assert.equal(await store.claimDueRun("lim-c", { at: t0, workerName: "box-1", epoch: 0, tags: ["gpu-claim"] }), "claimed");
      assert.equal((await store.listConcurrencyLimits()).find((l) => l.tag === "gpu-claim")?.active, 1, "the claim took the slot");
      store.updateFlowRun("lim-a", { state: makeState("Completed", at(2)) });
      store.updateFlowRun("lim-b", { state: makeState("Completed", at(2)) });
      store.updateFlowRun("lim-c", { state: makeState("Completed", at(2)) });
      await store.flush();
    });

    it("gives each of many due runs to exactly one of two stores claiming them at once, within the deployment's limit", async () => {
      await store.saveDeployment(deploymentRecord("dep-race"));
      const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
      for (const id of ids) await store.createDeploymentRun(flowRun(id, { state: makeState("Scheduled", t0), deploymentId: "dep-race", tags: [] }) as FlowRunRecord & { deploymentId: string });
      const other = await opened.reopen();
      const limit = { deploymentId: "dep-race", limit: 5 };
      const claims = await Promise.all(
        [store, other].flatMap((claimer, c) => ids.map(async (id) => ({ c, id, result: await claimer.claimDueRun(id, { at: t0, workerName: "box-1", epoch: 0, tags: [], deploymentLimit: limit }) }))),
      );
      const claimed = claims.filter((claim) => claim.result === "claimed");
      assert.equal(claimed.length, 5, `exactly the limit is claimed: ${JSON.stringify(claimed)}`);
      assert.equal(new Set(claimed.map((claim) => claim.id)).size, 5, "no run is claimed twice");
      assert.equal((await store.listFlowRuns({ deploymentId: "dep-race", state: "Pending" })).length, 5);
    });

    it("claims several due runs in order, each counting what the earlier ones took", async () => {
      await store.saveDeployment(deploymentRecord("dep-batch"));
      const ids = ["batch-a", "batch-b", "batch-c", "batch-d"];
      for (const id of ids) {
        await store.createDeploymentRun(flowRun(id, { state: makeState("Scheduled", t0), deploymentId: "dep-batch", tags: id === "batch-d" ? ["gpu-batch"] : [] }) as FlowRunRecord & { deploymentId: string });
      }
      await store.createConcurrencyLimit("gpu-batch", 0, t0);
      const limit = { deploymentId: "dep-batch", limit: 2 };
      const results = await store.claimDueRuns([
        { flowRunId: "batch-a", claim: { at: at(5), workerName: "box-1", epoch: 0, tags: [], deploymentLimit: limit } },
        { flowRunId: "batch-a", claim: { at: at(5), workerName: "box-1", epoch: 0, tags: [], deploymentLimit: limit } },
        { flowRunId: "batch-b", claim: { at: at(5), workerName: "box-1", epoch: 0, tags: [], deploymentLimit: limit } },
        { flowRunId: "batch-c", claim: { at: at(5), workerName: "box-1", epoch: 0, tags: [], deploymentLimit: limit } },
        { flowRunId: "batch-d", claim: { at: at(5), workerName: "box-1", epoch: 0, tags: ["gpu-batch"] } },
      ]);
      assert.deepEqual(results, ["claimed", "taken", "claimed", "deployment-full", "tags-full"]);
      assert.deepEqual(
        await Promise.all(ids.map(async (id) => (await store.getFlowRun(id))?.state.name)),
        ["Pending", "Pending", "Scheduled", "Scheduled"],
      );
      assert.deepEqual(await store.claimDueRuns([]), []);
    });

    it("records the worker that claimed a run and lists its runs newest first; the name outlives the run's own writes and a retry, until another worker claims it", async () => {
      await store.saveDeployment(deploymentRecord("dep-worker"));
      for (const id of ["wk-1", "wk-other", "wk-2", "wk-3", "wk-unclaimed"]) {
        await store.createDeploymentRun(flowRun(id, { state: makeState("Scheduled", t0), deploymentId: "dep-worker", tags: [] }) as FlowRunRecord & { deploymentId: string });
      }
      store.createFlowRun(flowRun("wk-in-process"));
      const claimBy = (workerName: string, seconds: number, epoch = 0) => ({ at: at(seconds), workerName, epoch, tags: [] });
      assert.deepEqual(
        await store.claimDueRuns([
          { flowRunId: "wk-1", claim: claimBy("box-a", 1) },
          { flowRunId: "wk-other", claim: claimBy("box-b", 1) },
          { flowRunId: "wk-2", claim: claimBy("box-a", 1) },
        ]),
        ["claimed", "claimed", "claimed"],
      );
      assert.equal(await store.claimDueRun("wk-3", claimBy("box-a", 2)), "claimed");
      assert.equal(await store.claimDueRun("wk-3", claimBy("box-b", 2)), "taken");
      assert.equal((await store.getFlowRun("wk-3"))?.workerName, "box-a", "a claim that lost names no one");
      assert.equal((await store.getFlowRun("wk-unclaimed"))?.workerName, undefined);
      assert.equal((await store.getFlowRun("wk-in-process"))?.workerName, undefined);
      const runsOf = async (workerName: string, more: { before?: string; limit?: number } = {}) => (await store.listFlowRuns({ workerName, ...more })).map((run) => run.id);
      assert.deepEqual(await runsOf("box-a"), ["wk-3", "wk-2", "wk-1"]);
      assert.deepEqual(await runsOf("box-a", { before: "wk-3", limit: 1 }), ["wk-2"]);
      assert.deepEqual(await runsOf("box-b"), ["wk-other"]);
      assert.deepEqual(await runsOf("box"), [], "the name matches whole");

      // The run's process (a store of its own) adopts the run and writes it, as run-child does.
      const child = await opened.reopen();
      child.updateFlowRun("wk-1", { state: makeState("Pending", at(2)), pid: 99, host: "box-a.local", processStartTime: 5 });
      child.updateFlowRun("wk-1", { state: makeState("Running", at(3)), runCount: 1, startTime: at(3).toISOString(), retryBudget: { left: 1, delayMs: 0 } });
      await child.flush();
      let run = await store.getFlowRun("wk-1");
      assert.deepEqual([run?.state.name, run?.pid, run?.workerName], ["Running", 99, "box-a"]);

      // Its process crashed and its flow retries it: Scheduled again, still naming the worker that ran it…
      const retry = { message: "Crashed; retried at once: gone", startAt: at(4), budget: { left: 0, delayMs: 0, carried: true as const }, seenStateAt: at(3).toISOString() };
      await store.endAbandonedRun("wk-1", { state: "Crashed", message: "gone", retry }, at(4));
      run = await store.getFlowRun("wk-1");
      assert.deepEqual([run?.state.name, run?.workerName], ["Scheduled", "box-a"]);
      // …until a worker claims it again: the latest claimer is the one executing it.
      assert.equal(await store.claimDueRun("wk-1", claimBy("box-b", 5, 1)), "claimed");
      assert.equal((await store.getFlowRun("wk-1"))?.workerName, "box-b");
      assert.deepEqual(await runsOf("box-a"), ["wk-3", "wk-2"]);
      assert.deepEqual(await runsOf("box-b"), ["wk-other", "wk-1"]);

      // A finished run asked to run again (flow-run retry) keeps its worker until its next claim.
      store.updateFlowRun("wk-2", { state: makeState("Completed", at(6)), endTime: at(6).toISOString() });
      store.updateFlowRun("wk-2", { state: makeState("Scheduled", at(7), "Retry requested.") });
      assert.equal((await store.getFlowRun("wk-2"))?.workerName, "box-a");

      // A run written whole with its worker (what a runner reported, written by its parent) reads back the same.
      store.createFlowRun(flowRun("wk-written", { workerName: "box-c" }));
      await store.flush();
      assert.equal((await child.getFlowRun("wk-written"))?.workerName, "box-c");
      assert.deepEqual(await runsOf("box-c"), ["wk-written"]);
    });

    it("shows what it committed to another store opened on the same data", async () => {
      store.createFlowRun(flowRun("shared", { tags: ["x"] }));
      store.updateFlowRun("shared", { state: makeState("Running", at(1)), host: "box", processStartTime: 2 ** 40 });
      await store.flush();
      const other = await opened.reopen();
      const run = await other.getFlowRun("shared");
      assert.deepEqual([run?.state.name, run?.host, run?.processStartTime, run?.tags], ["Running", "box", 2 ** 40, ["x"]]);
      assert.deepEqual((await other.getStateHistory("shared")).map((s) => s.name), ["Pending", "Running"]);
    });
  });
}
