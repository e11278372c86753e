import assert from "node:assert/strict";
import { test } from "node:test";
import { closestNames } from "./did-you-mean.js";

/** The whole table, as a reference for the bounded one. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function reference(name: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, max)
    .map((s) => s.candidate);
}

test("suggests the names within the edit distance, closest first, ties by name", () => {
  assert.deepEqual(closestNames("f250-ingestt", ["f250-ingest", "f250-ingest-2", "f251-ingest", "report"]), ["f250-ingest", "f250-ingest-2", "f251-ingest"]);
  assert.deepEqual(closestNames("Nightly", ["nightly", "weekly"]), ["nightly"]);
  assert.deepEqual(closestNames("x", ["a-much-longer-name"]), []);
});

test("the bounded distance picks what the whole table picks, over many generated names", () => {
  const names: string[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < 400; i++) names.push(Array.from({ length: 3 + (next() % 14) }, () => "abcde-"[next() % 6]).join(""));
  for (const name of names.slice(0, 60)) {
    const typo = name.slice(0, -1) + (name.endsWith("a") ? "b" : "a");
    assert.deepEqual(closestNames(typo, names), reference(typo, names), typo);
    assert.deepEqual(closestNames(name + "xy", names, 5), reference(name + "xy", names, 5), name);
  }
});
