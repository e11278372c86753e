import assert from "node:assert/strict";
import { test } from "node:test";
import { findCycles, stronglyConnectedComponents } from "./find-cycles.js";

test("a diamond has no cycle", () => {
  // 0 → 1 → 3, 0 → 2 → 3
  assert.deepEqual(findCycles(4, [[1, 2], [3], [3], []]), []);
});

test("a self-loop is a cycle of one node", () => {
  assert.deepEqual(findCycles(2, [[0, 1], []]), [[0]]);
});

test("two cycles through one node come back as two cycles", () => {
  // 0 → 1 → 0 and 0 → 2 → 0
  const cycles = findCycles(3, [[1, 2], [0], [0]]);
  assert.deepEqual(cycles, [[0, 1], [0, 2]]);
});

test("covered edges start no cycle, but cycles may pass through them", () => {
  assert.deepEqual(findCycles(2, [[1], [0]], { covered: new Set([0 * 2 + 1, 1 * 2 + 0]) }), []);
  assert.deepEqual(findCycles(2, [[1], [0]], { covered: new Set([0 * 2 + 1]) }), [[1, 0]]);
});

test("a 100,000-node single cycle is found iteratively, without overflowing the stack", () => {
  const n = 100_000;
  const successors = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
  const started = performance.now();
  const components = stronglyConnectedComponents(n, successors);
  assert.equal(components.length, 1);
  assert.equal(components[0]!.length, n);
  const cycles = findCycles(n, successors);
  assert.equal(cycles.length, 1);
  assert.equal(cycles[0]!.length, n);
  assert.deepEqual(cycles[0]!.slice(0, 3), [0, 1, 2]);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 5000, `took ${elapsed.toFixed(0)} ms`);
});

test("a 100,000-node strongly connected graph with 300,000 edges stays iterative", () => {
  const n = 100_000;
  const successors = Array.from({ length: n }, (_, i) => [(i + 1) % n, (i * 7 + 3) % n, (i * 13 + 5) % n]);
  const components = stronglyConnectedComponents(n, successors);
  assert.equal(components.length, 1);
  const cycles = findCycles(n, successors, { maxPerComponent: 5 });
  assert.equal(cycles.length, 5);
});
