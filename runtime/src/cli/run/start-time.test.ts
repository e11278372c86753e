import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDateTime, parseDurationMs, requestedStartTime } from "./start-time.js";

describe("--start-in durations", () => {
  it("reads unit letters, unit words and compound durations", () => {
    const cases: [string, number][] = [
      ["90s", 90_000],
      ["10 minutes", 600_000],
      ["1h30m", 5_400_000],
      ["2 days", 172_800_000],
      ["1 hour, 5 mins and 10 sec", 3_910_000],
      ["1.5h", 5_400_000],
      [" 1 W ", 604_800_000],
    ];
    for (const [text, ms] of cases) assert.equal(parseDurationMs(text), ms, text);
  });

  it("refuses what is not a duration", () => {
    for (const text of ["", "90", "ten minutes", "5 fortnights", "-5m", "1h30", "1h 30m later"]) assert.equal(parseDurationMs(text), undefined, text);
  });
});

describe("--start-at date-times", () => {
  it("reads ISO 8601 with a zone, and YYYY-MM-DD HH:MM as local time", () => {
    assert.equal(parseDateTime("2026-12-06T14:00:00Z")?.toISOString(), "2026-12-06T14:00:00.000Z");
    assert.equal(parseDateTime("2026-12-06T14:00:00.5+01:30")?.toISOString(), "2026-12-06T12:30:00.500Z");
    assert.equal(parseDateTime("2026-12-06 14:00")?.getTime(), new Date(2026, 11, 6, 14, 0).getTime());
    assert.equal(parseDateTime("2026-12-06T14:00:30")?.getTime(), new Date(2026, 11, 6, 14, 0, 30).getTime());
  });

  it("refuses days and times that do not exist rather than rolling them over", () => {
    for (const text of ["2026-02-30 10:00", "2026-13-01 10:00", "2026-12-06 25:00", "2026-12-06", "tomorrow", "2026-12-06 14:00+25:00"]) {
      assert.equal(parseDateTime(text), undefined, text);
    }
  });
});

describe("requestedStartTime", () => {
  const now = new Date("2026-12-06T10:00:00Z");

  it("is undefined without either option, now + the duration for --start-in, the time for --start-at", () => {
    assert.equal(requestedStartTime({}, now), undefined);
    assert.equal(requestedStartTime({ startIn: "10 minutes" }, now)?.toISOString(), "2026-12-06T10:10:00.000Z");
    assert.equal(requestedStartTime({ startAt: "2026-12-06T11:00:00Z" }, now)?.toISOString(), "2026-12-06T11:00:00.000Z");
  });

  it("refuses both at once, a bad value and a time in the past, naming the value", () => {
    assert.throws(() => requestedStartTime({ startIn: "1m", startAt: "2026-12-06T11:00:00Z" }, now), /Give --start-in or --start-at, not both/);
    assert.throws(() => requestedStartTime({ startIn: "soon" }, now), { name: "UsageError", message: /--start-in "soon" is not a duration/ });
    assert.throws(() => requestedStartTime({ startIn: "0s" }, now), /--start-in "0s" is no time from now/);
    assert.throws(() => requestedStartTime({ startAt: "2026-12-06T09:59:00Z" }, now), { name: "UsageError", message: /--start-at "2026-12-06T09:59:00Z" is in the past/ });
    assert.throws(() => requestedStartTime({ startAt: "next friday" }, now), /--start-at "next friday" is not a date-time/);
  });
});
