// Cycle finding on a synthetic graph of n nodes and 3n edges, as the analysis runs it.
// Usage: cycle-workload.ts <n> flow|tangled. Prints one JSON line.
import { performance } from "node:perf_hooks";
import { findCycles } from "../../server/src/analysis/find-cycles.js";

const [nArg = "100000", shape = "flow"] = process.argv.slice(2);
const n = Number(nArg);

/** mulberry32, seeded: the same graph every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(7);
const successors: number[][] = Array.from({ length: n }, () => []);
if (shape === "tangled") {
  // One strongly connected component holding every node.
  for (let i = 0; i < n; i++) successors[i]!.push((i + 1) % n, (i * 7 + 3) % n, (i * 13 + 5) % n);
} else {
  // Flow-shaped: calls go to earlier nodes (a DAG: a chain and two random edges each), and every
  // 1,000 nodes one call goes back up five nodes, making a small cycle.
  for (let i = 1; i < n; i++) successors[i]!.push(i - 1, Math.floor(next() * i), Math.floor(next() * i));
  for (let i = 0; i + 5 < n; i += 1000) successors[i]!.push(i + 5);
}
const edges = successors.reduce((sum, s) => sum + s.length, 0);
const started = performance.now();
const cycles = findCycles(n, successors);
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, cycles: cycles.length, edges }));
