import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow, isFlow } from "../flow.js";
import { task } from "../task.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

describe("flow runs", () => {
  it("records Pending → Running → Completed with the result, parameters, pid and a slug name", async () => {
    const add = flow("add", async ({ a, b }: { a: number; b: number }) => a + b);
    assert.equal(await add({ a: 2, b: 3 }), 5);
    const [run] = await rt.store.listFlowRuns({ flowName: "add" });
    assert.ok(run);
    assert.equal(run.state.name, "Completed");
    assert.equal(run.result, 5);
    assert.deepEqual(run.parameters, { a: 2, b: 3 });
    assert.equal(run.pid, process.pid);
    assert.equal(run.runCount, 1);
    assert.match(run.name, /^[a-z]+-[a-z]+$/);
    assert.ok(run.startTime && run.endTime);
    const history = await rt.store.getStateHistory(run.id);
    assert.deepEqual(
      history.map((s) => s.name),
      ["Pending", "Running", "Completed"],
    );
  });

  it("passes {} to a flow called without parameters", async () => {
    const seen: unknown[] = [];
    const noArgs = flow("no-args", async (params: { x?: number }) => {
      seen.push(params);
    });
    await noArgs();
    assert.deepEqual(seen, [{}]);
  });

  it("carries its name, options and a brand that isFlow recognises", () => {
    const f = flow("branded", { tags: ["a"] }, async () => 1);
    assert.equal(f.name, "branded");
    assert.deepEqual(f.options.tags, ["a"]);
    assert.equal(isFlow(f), true);
    assert.equal(isFlow(() => 1), false);
    assert.equal(isFlow({ name: "x" }), false);
  });

  it("throws FlowRunError when its function throws, and records Failed with the message", async () => {
    const broken = flow("broken", async () => {
      throw new Error("disk full");
    });
    await assert.rejects(broken(), (error: Error & { flowRunId?: string; stateName?: string; cause?: unknown }) => {
      assert.equal(error.name, "FlowRunError");
      assert.equal(error.stateName, "Failed");
      assert.match(error.message, /disk full/);
      assert.equal((error.cause as Error).message, "disk full");
      return true;
    });
    const [run] = await rt.store.listFlowRuns({ flowName: "broken" });
    assert.equal(run?.state.name, "Failed");
    assert.equal(run?.state.message, "disk full");
  });

  it("wraps a thrown non-Error", async () => {
    const odd = flow("odd", async () => {
      throw "just a string";
    });
    await assert.rejects(odd(), /Non-error thrown: just a string/);
  });

  it("returnState resolves to the final state instead of throwing", async () => {
    const broken = flow("broken-state", async () => {
      throw new Error("nope");
    });
    const state = await broken.withOptions({ returnState: true })();
    assert.equal(state.type, "FAILED");
    assert.equal(state.name, "Failed");
    assert.equal(state.message, "nope");
    assert.equal(state.error?.name, "FlowRunError");
    assert.ok(state.flowRunId);
    const ok = flow("ok-state", async () => ({ n: 1 }));
    const done = await ok.withOptions({ returnState: true })();
    assert.equal(done.type, "COMPLETED");
    assert.deepEqual(done.result, { n: 1 });
    assert.equal(done.error, undefined);
  });

  it("withOptions returns a new flow and leaves the original as it was", async () => {
    const base = flow("base", { tags: ["a"] }, async () => 1);
    const tagged = base.withOptions({ tags: ["b"], version: "2" });
    assert.deepEqual(base.options.tags, ["a"]);
    assert.deepEqual(tagged.options.tags, ["b"]);
    await tagged();
    const [run] = await rt.store.listFlowRuns({ flowName: "base" });
    assert.deepEqual(run?.tags, ["b"]);
    assert.equal(run?.flowVersion, "2");
  });

  it("stores a result as JSON.stringify would (a Date as its ISO string), and returns it to the caller as it was", async () => {
    const when = new Date("2024-05-01T00:00:00Z");
    const dated = flow("dated", async () => when);
    assert.equal(await dated(), when);
    const [run] = await rt.store.listFlowRuns({ flowName: "dated" });
    assert.equal(run?.state.name, "Completed");
    assert.equal(run?.result, "2024-05-01T00:00:00.000Z");
  });

  it("emits a flow-run event with the updated record on every state change", async () => {
    const f = flow("evented", async () => "x");
    await f();
    const states = rt.seen.flatMap((e) => (e.kind === "flow-run" ? [e.run.state.name] : []));
    assert.deepEqual(states, ["Pending", "Running", "Completed"]);
    const last = rt.seen.at(-1);
    assert.equal(last?.kind === "flow-run" ? last.run.result : undefined, "x");
  });

  it("commits the final state before the caller sees the result", async () => {
    const f = flow("committed", async () => 7);
    await f();
    // A second connection sees only what was committed.
    const reader = openSqliteStore(rt.store.location);
    try {
      const [run] = await reader.listFlowRuns({ flowName: "committed" });
      assert.equal(run?.state.name, "Completed");
      assert.equal(run?.result, 7);
    } finally {
      await reader.close();
    }
  });
});

describe("flow parameters", () => {
  it("fails a run whose parameter is not JSON, naming the parameter", async () => {
    const f = flow("strict", async (_p: { when: unknown }) => 1);
    await assert.rejects(f({ when: new Date(0) }), (error: Error) => {
      assert.equal(error.name, "FlowRunError");
      assert.match(error.message, /Parameter `when` of flow "strict" is not a JSON value: got a Date/);
      return true;
    });
    const [run] = await rt.store.listFlowRuns({ flowName: "strict" });
    assert.equal(run?.state.name, "Failed");
    assert.equal(run?.runCount, 0);
  });

  it("names the path of a nested non-JSON value", async () => {
    const f = flow("nested", async (_p: { config: unknown }) => 1);
    await assert.rejects(f({ config: { limits: [1, Number.NaN] } }), /Parameter `config` of flow "nested" is not a JSON value \(at `config.limits\[1\]`\): got NaN/);
  });

  it("passes non-JSON parameters through with validateParameters: false, storing them converted", async () => {
    let received: unknown;
    const f = flow("loose", { validateParameters: false }, async (p: { when: Date }) => {
      received = p.when;
    });
    const when = new Date("2024-01-02T03:04:05.000Z");
    await f({ when });
    assert.equal(received, when);
    const [run] = await rt.store.listFlowRuns({ flowName: "loose" });
    assert.deepEqual(run?.parameters, { when: "2024-01-02T03:04:05.000Z" });
  });
});

describe("tasks outside flows", () => {
  it("a task called outside any flow runs its function directly, untracked", async () => {
    const double = task("double", (n: number) => n * 2);
    assert.equal(await double(21), 42);
    assert.deepEqual(await rt.store.listFlowRuns(), []);
    assert.equal(rt.seen.length, 0);
  });

  it("submit and map outside a flow throw a clear error", () => {
    const double = task("double", (n: number) => n * 2);
    assert.throws(() => double.submit(1), /Task "double" was submitted outside a flow run/);
    assert.throws(() => double.map([1]), /Task "double" was mapped outside a flow run/);
  });
});
