import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FlowRunRecord } from "../server/tributary-api.js";
import { runLogHeader } from "./run-log-header.js";

const base: FlowRunRecord = {
  id: "0193a4f2-0000-7000-8000-000000000001",
  name: "brisk-otter",
  flowName: "sized-flow",
  state: { type: "COMPLETED", name: "Completed", timestamp: "2026-12-06T08:00:01.000Z" },
  parameters: { size: 42 },
  result: "b-42:14",
  tags: [],
  runCount: 1,
  createdAt: "2026-12-06T08:00:00.000Z",
} as FlowRunRecord;

describe("the head of a run's log document", () => {
  it("names the run with its id, the flow, the state, the parameters, the result and what started it, then a rule", () => {
    assert.deepEqual(runLogHeader({ run: base }), [
      "Flow run      brisk-otter (0193a4f2-0000-7000-8000-000000000001)",
      "Flow          sized-flow",
      "State         Completed",
      'Parameters    {"size":42}',
      'Result        "b-42:14"',
      "Triggered by  tributary run (▶ Run flow)",
      "─".repeat(72),
    ]);
  });

  it("gives a failed run's error with the first frame of the user's code instead of a result", () => {
    const failed = { ...base, result: undefined, state: { type: "FAILED", name: "Failed", timestamp: base.createdAt, message: 'Error: cannot parse row "bad"\nmore' } } as FlowRunRecord;
    const lines = runLogHeader({ run: failed, userFrame: "at parseRow (failing-flow.ts:6:9)" });
    assert.equal(lines[2], "State         Failed");
    assert.equal(lines[4], 'Error         Error: cannot parse row "bad"');
    assert.equal(lines[5], "              at parseRow (failing-flow.ts:6:9)");
    assert.ok(!lines.some((line) => line.startsWith("Result")));
  });

  it("gives a result as compact JSON on one line, cut with … when long", () => {
    const lines = runLogHeader({ run: { ...base, result: { rows: [1, 2], ok: true } } as FlowRunRecord });
    assert.equal(lines[4], 'Result        {"rows":[1,2],"ok":true}');
    const long = runLogHeader({ run: { ...base, result: "x".repeat(1000) } as FlowRunRecord })[4]!;
    assert.equal(long.length, 14 + 400);
    assert.ok(long.endsWith("…"));
  });

  it("says what started the run: its causal chain, and its parent run for a subflow", () => {
    const byAutomation = {
      ...base,
      chain: [
        { kind: "flow-run", id: "u1", name: "upstream-flow" },
        { kind: "automation", id: "a1", name: "downstream-after-upstream" },
        { kind: "deployment", id: "d1", name: "downstream-flow/downstream-processing" },
        { kind: "flow-run", id: base.id, name: "sized-flow" },
      ],
    } as FlowRunRecord;
    assert.equal(runLogHeader({ run: byAutomation }).at(-2), "Triggered by  flow-run upstream-flow → automation downstream-after-upstream → deployment downstream-flow/downstream-processing");
    const subflow = { ...base, parentFlowRunId: "p1" } as FlowRunRecord;
    const lines = runLogHeader({ run: subflow, parent: { id: "p1", name: "keen-toucan", flowName: "orchestrator-flow" } });
    assert.equal(lines.at(-3), "Triggered by  its parent flow run (a subflow)");
    assert.equal(lines.at(-2), "Parent run    orchestrator-flow · keen-toucan (p1)");
  });
});
