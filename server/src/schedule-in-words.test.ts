import assert from "node:assert/strict";
import { test } from "node:test";
import { duration, scheduleInWords } from "./schedule-in-words.js";

test("schedules read as words, with the next cron time", () => {
  const now = new Date("2026-11-25T19:00:00Z");
  assert.equal(scheduleInWords([], now), "no schedule");
  assert.equal(scheduleInWords([{ interval: "2h" }], now), "every 2 hours");
  assert.equal(scheduleInWords([{ interval: 90 }], now), "every 1 minute 30 seconds");
  assert.equal(scheduleInWords([{ interval: "1h30m" }, { interval: 60 }], now), "every 1 hour 30 minutes; every minute");
  assert.equal(scheduleInWords([{ cron: "0 6 * * *", timezone: "UTC" }], now), "cron 0 6 * * * (UTC) · next 2026-11-26 06:00 UTC");
  assert.equal(scheduleInWords([{ cron: "not a cron" }], now), "cron not a cron");
  assert.equal(scheduleInWords([{ rrule: "FREQ=DAILY" }], now), "rrule FREQ=DAILY");
  assert.equal(scheduleInWords([{ interval: "soon" }], now), "interval soon");
});

test("durations name the largest units", () => {
  assert.equal(duration(7200), "2 hours");
  assert.equal(duration(86400), "day");
  assert.equal(duration(604800 + 3600), "1 week 1 hour");
});
