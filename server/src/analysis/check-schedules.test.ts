import assert from "node:assert/strict";
import { test } from "node:test";
import { isTimeZone, parseIntervalSeconds } from "./check-schedules.js";

test("intervals: seconds, durations and combinations, at least one second", () => {
  assert.equal(parseIntervalSeconds(90), 90);
  assert.equal(parseIntervalSeconds("90"), 90);
  assert.equal(parseIntervalSeconds("90s"), 90);
  assert.equal(parseIntervalSeconds("2h"), 7200);
  assert.equal(parseIntervalSeconds("1h30m"), 5400);
  assert.equal(parseIntervalSeconds("1d"), 86400);
  assert.equal(parseIntervalSeconds(0), undefined);
  assert.equal(parseIntervalSeconds(0.5), undefined);
  assert.equal(parseIntervalSeconds("5 parsecs"), undefined);
  assert.equal(parseIntervalSeconds("2h and then some"), undefined);
  assert.equal(parseIntervalSeconds(""), undefined);
});

test("time zones: IANA names, UTC, and nothing else", () => {
  assert.equal(isTimeZone("Europe/Berlin"), true);
  assert.equal(isTimeZone("UTC"), true);
  assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
});
