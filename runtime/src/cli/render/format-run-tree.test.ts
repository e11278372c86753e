import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatRunTree } from "./format-run-tree.js";
import type { RunTreeNode } from "./run-tree.js";

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, seconds)).toISOString();

function task(name: string, stateName: "Completed" | "Running" | "Failed", start: number, end?: number): RunTreeNode {
  const type = stateName === "Completed" ? "COMPLETED" : stateName === "Running" ? "RUNNING" : "FAILED";
  return { kind: "task-run", id: name, name, definitionName: name.split("-")[0]!, state: { type, name: stateName }, startTime: at(start), endTime: end === undefined ? null : at(end), children: [] };
}

describe("formatRunTree", () => {
  it("draws nested runs with state, duration and a failure message", () => {
    const root: RunTreeNode = {
      kind: "flow-run",
      id: "r",
      name: "crimson-otter",
      definitionName: "parent-flow",
      state: { type: "FAILED", name: "Failed", message: "Task run 'load-0' failed: boom" },
      startTime: at(0),
      endTime: at(3),
      children: [
        task("extract-0", "Completed", 0, 1),
        { ...task("child", "Completed", 1, 2), kind: "flow-run", name: "brave-heron", definitionName: "child-flow", children: [task("double-0", "Completed", 1, 2)] },
        task("load-0", "Failed", 2, 3),
      ],
    };
    assert.deepEqual(formatRunTree(root, { now: new Date(at(10)), color: false, maxChildren: 10 }), [
      "✗ parent-flow · crimson-otter  Failed  3.00s  Task run 'load-0' failed: boom",
      "├─ ✓ extract-0  Completed  1.00s",
      "├─ ✓ child-flow · brave-heron  Completed  1.00s",
      "│  └─ ✓ double-0  Completed  1.00s",
      "└─ ✗ load-0  Failed  1.00s",
    ]);
  });

  it("keeps running children and the latest finished ones, and counts the rest", () => {
    const children = [...Array.from({ length: 6 }, (_, i) => task(`map-${i}`, "Completed", i, i + 1)), task("map-6", "Running", 6)];
    const root: RunTreeNode = { kind: "flow-run", id: "r", name: "n", definitionName: "f", state: { type: "RUNNING", name: "Running" }, startTime: at(0), endTime: null, children };
    const lines = formatRunTree(root, { now: new Date(at(8)), color: false, maxChildren: 3, spinner: "*" });
    assert.deepEqual(lines, [
      "* f · n  Running  8.00s",
      "├─ … 4 more: 4 Completed",
      "├─ ✓ map-4  Completed  1.00s",
      "├─ ✓ map-5  Completed  1.00s",
      "└─ * map-6  Running  2.00s",
    ]);
  });
});
