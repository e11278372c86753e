import assert from "node:assert/strict";
import { test } from "node:test";
import { ForkableMap } from "./forkable-map.js";

const entriesOf = <K, V>(map: ReadonlyMap<K, V>) => [...map];

test("a fork's changes leave the map it came from as it was, and the other way round", () => {
  const original = new ForkableMap<string, number>().set("a", 1).set("b", 2);
  const fork = original.fork();
  fork.set("a", 10);
  fork.set("c", 3);
  original.set("b", 20);
  assert.deepEqual(entriesOf(original), [["a", 1], ["b", 20]]);
  assert.deepEqual(entriesOf(fork), [["a", 10], ["b", 2], ["c", 3]]);
  assert.equal(original.has("c"), false);
  assert.equal(original.size, 2);
  assert.equal(fork.size, 3);
});

test("a new key added to the map a fork came from does not appear in the fork", () => {
  const original = new ForkableMap<string, number>().set("a", 1);
  const fork = original.fork();
  original.set("z", 26);
  assert.deepEqual([...fork.keys()], ["a"]);
  assert.deepEqual([...original.keys()], ["a", "z"]);
  assert.equal(fork.get("z"), undefined);
});

test("keeps insertion order, and the order of a key that is set again, as Map does", () => {
  const map = new ForkableMap<string, string>();
  const reference = new Map<string, string>();
  for (const [k, v] of [["b", "1"], ["a", "2"], ["b", "3"], ["c", "4"]] as const) {
    map.set(k, v);
    reference.set(k, v);
  }
  assert.deepEqual(entriesOf(map), [...reference]);
  assert.deepEqual([...map.values()], [...reference.values()]);
  const seen: string[] = [];
  map.forEach((value, key, self) => {
    assert.equal(self, map);
    seen.push(`${key}=${value}`);
  });
  assert.deepEqual(seen, ["b=3", "a=2", "c=4"]);
});

test("forks of forks stay apart", () => {
  const a = new ForkableMap<number, number>();
  for (let i = 0; i < 100; i++) a.set(i, i);
  const b = a.fork();
  const c = b.fork();
  b.set(5, -5);
  c.set(7, -7);
  c.set(100, 100);
  assert.equal(a.get(5), 5);
  assert.equal(a.get(7), 7);
  assert.equal(b.get(5), -5);
  assert.equal(b.get(7), 7);
  assert.equal(c.get(5), 5);
  assert.equal(c.get(7), -7);
  assert.deepEqual([a.size, b.size, c.size], [100, 100, 101]);
});
