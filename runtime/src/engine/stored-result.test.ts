import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { MAX_PROJECTION_LINES, projectionLogLines, storedResult } from "./stored-result.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

describe("storedResult", () => {
  it("stores what JSON holds as JSON.stringify would, without a word", () => {
    const when = new Date("2024-05-01T00:00:00Z");
    const value = { a: 1, b: undefined, list: [1, undefined, "x"], when, nested: { ok: true, none: null } };
    assert.deepEqual(storedResult(value), { value: JSON.parse(JSON.stringify(value)), projections: [] });
    assert.deepEqual(storedResult(undefined), { value: undefined, projections: [] });
  });

  it("projects what JSON cannot hold and names the path of each", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const { value, projections } = storedResult({
      total: 12345678901234567890n,
      cyclic,
      counts: new Map<string, unknown>([["a", 1], ["b", 2n]]),
      tags: new Set(["x", "y"]),
      point: new Point(3, 4),
      run: () => 1,
      items: [Symbol("s"), NaN],
      "odd key": 1n,
    });
    assert.deepEqual(value, {
      total: "12345678901234567890",
      cyclic: { name: "loop", self: "[Circular]" },
      counts: { a: 1, b: "2" },
      tags: ["x", "y"],
      point: { x: 3, y: 4 },
      items: [null, null],
      "odd key": "1",
    });
    assert.deepEqual(
      projections.map((p) => [p.path, p.found, p.storedAs]),
      [
        ["$.total", "a BigInt", `the string "12345678901234567890"`],
        ["$.cyclic.self", "a reference to itself (a cycle)", `the string "[Circular]"`],
        ["$.counts", "a Map", "an object of its entries"],
        ["$.counts.b", "a BigInt", `the string "2"`],
        ["$.tags", "a Set", "an array of its values"],
        ["$.point", "a Point (a class instance)", "its own enumerable properties"],
        ["$.run", "a function", "nothing (it is left out, as JSON.stringify does)"],
        ["$.items[0]", "a symbol", "nothing (it is left out, as JSON.stringify does)"],
        ["$.items[1]", "NaN", "null"],
        [`$["odd key"]`, "a BigInt", `the string "1"`],
      ],
    );
  });

  it("logs at most a few lines for a result full of BigInts, then how many more", () => {
    const { projections } = storedResult(Array.from({ length: 25 }, (_, i) => BigInt(i)));
    const lines = projectionLogLines(`flow run "x"`, projections);
    assert.equal(lines.length, MAX_PROJECTION_LINES + 1);
    assert.equal(lines[0], `The result of flow run "x" holds a BigInt at $[0]; it is stored as the string "0".`);
    assert.match(lines.at(-1)!, /holds 15 more values/);
  });
});

describe("results stored by the engine", () => {
  let rt: TestRuntime;
  beforeEach(() => {
    rt = createTestRuntime();
  });
  afterEach(() => rt.close());

  it("stores a BigInt, a cycle and a Map as their projections, warns in the run's log, and returns the value untouched", async () => {
    const returned: Record<string, unknown> = { total: 12345678901234567890n, counts: new Map([["a", 1]]) };
    returned.self = returned;
    const odd = flow("odd", async () => returned);
    assert.equal(await odd(), returned);
    assert.ok(returned.counts instanceof Map);
    const [run] = await rt.store.listFlowRuns({ flowName: "odd" });
    assert.equal(run?.state.name, "Completed");
    assert.deepEqual(run?.result, { total: "12345678901234567890", counts: { a: 1 }, self: "[Circular]" });
    const warnings = (await rt.store.getLogs(run!.id)).filter((log) => log.level === "warning").map((log) => log.message);
    assert.deepEqual(warnings, [
      `The result of flow run "${run!.name}" holds a BigInt at $.total; it is stored as the string "12345678901234567890".`,
      `The result of flow run "${run!.name}" holds a Map at $.counts; it is stored as an object of its entries.`,
      `The result of flow run "${run!.name}" holds a reference to itself (a cycle) at $.self; it is stored as the string "[Circular]".`,
    ]);
  });

  it("stores a task's Map result as an object of its entries, with the warning on the task run, and does not cache it", async () => {
    const makeMap = task("make-map", { cacheKey: () => "the-map" }, () => new Map([["a", 1]]));
    const f = flow("maps", async () => (await makeMap()).get("a"));
    assert.equal(await f(), 1);
    const [run] = await rt.store.listFlowRuns({ flowName: "maps" });
    const [taskRun] = await rt.store.getTaskRuns(run!.id);
    assert.equal(taskRun?.state.name, "Completed");
    assert.deepEqual(taskRun?.result, { a: 1 });
    const warnings = (await rt.store.getLogs(run!.id)).filter((log) => log.level === "warning");
    assert.deepEqual(
      warnings.map((log) => [log.taskRunId, log.message]),
      [[taskRun!.id, `The result of task run "make-map-0" holds a Map at $; it is stored as an object of its entries.`]],
    );
    // A cache hit would hand back the stored object, not a Map.
    assert.equal(await rt.store.readCache("the-map", new Date()), undefined);
  });
});
