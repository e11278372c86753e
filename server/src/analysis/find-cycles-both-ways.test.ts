import assert from "node:assert/strict";
import { test } from "node:test";
import { findCycles } from "./find-cycles.js";

/** Length of a shortest path a … b by plain breadth-first search (the reference). */
function distance(successors: number[][], a: number, b: number): number {
  const depth = new Map([[a, 0]]);
  const queue = [a];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    if (v === b) return depth.get(v)!;
    for (const w of successors[v]!) {
      if (depth.has(w)) continue;
      depth.set(w, depth.get(v)! + 1);
      queue.push(w);
    }
  }
  return Infinity;
}

test("in a large component (searched from both ends) every cycle is elementary, real and as short as the way back allows", () => {
  const n = 3000;
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  // A ring (so the graph is one component) and two random edges per node.
  const successors = Array.from({ length: n }, (_, i) => [(i + 1) % n, Math.floor(next() * n), Math.floor(next() * n)]);
  const cycles = findCycles(n, successors, { maxPerComponent: 60 });
  assert.equal(cycles.length, 60);
  for (const cycle of cycles) {
    assert.equal(new Set(cycle).size, cycle.length, "no node twice");
    cycle.forEach((u, i) => assert.ok(successors[u]!.includes(cycle[(i + 1) % cycle.length]!), `${u} → ${cycle[(i + 1) % cycle.length]} is an edge`));
    // The cycle starts with the edge u → v it was found from: the rest is a shortest way from v back to u.
    const [u, v] = cycle as [number, number];
    if (cycle.length > 1) assert.equal(cycle.length - 1, distance(successors, v, u));
  }
});
