import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileSchedule, describeSchedules, nextScheduledTimes, rruleHasDtstart, parseInterval } from "./schedule.js";

const at = (iso: string) => new Date(iso);

describe("parseInterval", () => {
  it("reads seconds and duration strings", () => {
    assert.equal(parseInterval(90), 90);
    assert.equal(parseInterval("90s"), 90);
    assert.equal(parseInterval("2h"), 7200);
    assert.equal(parseInterval("1h30m"), 5400);
    assert.equal(parseInterval("1d"), 86400);
    assert.equal(parseInterval("45"), 45);
  });
  it("names the bad value", () => {
    assert.throws(() => parseInterval("2 fortnights"), /got `"2 fortnights"`/);
    assert.throws(() => parseInterval(0), /at least 1 second, got `0`/);
    assert.throws(() => parseInterval("2hx"), /duration like/);
  });
});

describe("compileSchedule", () => {
  it("computes interval times from the anchor, strictly after the given time", () => {
    const s = compileSchedule({ interval: "2h", anchor: "2026-01-01T00:00:00Z" });
    assert.deepEqual(s.next(3, at("2026-01-01T01:00:00Z")).map((d) => d.toISOString()), [
      "2026-01-01T02:00:00.000Z",
      "2026-01-01T04:00:00.000Z",
      "2026-01-01T06:00:00.000Z",
    ]);
    assert.equal(s.nextAfter(at("2026-01-01T02:00:00Z"))?.toISOString(), "2026-01-01T04:00:00.000Z");
    assert.equal(s.nextAfter(at("2025-06-01T00:00:00Z"))?.toISOString(), "2026-01-01T00:00:00.000Z");
    assert.equal(s.describe(), "every 2 hours");
  });

  it("computes cron times in a time zone", () => {
    const s = compileSchedule({ cron: "0 9 * * *", timezone: "Europe/Berlin" });
    assert.equal(s.nextAfter(at("2026-01-01T00:00:00Z"))?.toISOString(), "2026-01-01T08:00:00.000Z");
    assert.equal(s.nextAfter(at("2026-07-01T00:00:00Z"))?.toISOString(), "2026-07-01T07:00:00.000Z", "summer time");
    assert.equal(s.describe(), 'cron "0 9 * * *" (Europe/Berlin)');
  });

  it("computes RRULE times and ends when the rule ends", () => {
    const s = compileSchedule({ rrule: "DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY;COUNT=2" });
    assert.deepEqual(s.next(5, at("2025-12-31T00:00:00Z")).map((d) => d.toISOString()), [
      "2026-01-01T00:00:00.000Z",
      "2026-01-02T00:00:00.000Z",
    ]);
    assert.equal(s.nextAfter(at("2026-01-02T00:00:00Z")), undefined);
    assert.match(s.describe(), /every day/);
  });

  it("starts an RRULE without DTSTART at the anchor given, to the second; a DTSTART of its own wins", () => {
    const anchor = at("2026-03-02T09:00:20.500Z");
    const minutely = compileSchedule({ rrule: "FREQ=MINUTELY" }, { anchor });
    for (const after of ["2026-03-02T09:00:21Z", "2026-03-02T09:00:59Z", "2026-03-02T09:01:19.999Z"]) {
      assert.equal(minutely.nextAfter(at(after))?.toISOString(), "2026-03-02T09:01:20.000Z", `after ${after}`);
    }
    const own = compileSchedule({ rrule: "DTSTART:20260101T000000Z\nRRULE:FREQ=HOURLY" }, { anchor });
    assert.equal(own.nextAfter(at("2026-03-02T09:00:21Z"))?.toISOString(), "2026-03-02T10:00:00.000Z");
    assert.equal(rruleHasDtstart("DTSTART;TZID=Europe/Berlin:20260101T060000\nRRULE:FREQ=DAILY"), true);
    assert.equal(rruleHasDtstart("FREQ=DAILY;BYHOUR=6"), false);
  });

  it("rejects bad schedules with a message that names the bad value", () => {
    assert.throws(() => compileSchedule({ cron: "61 * * * *" }), /Invalid cron expression `61 \* \* \* \*`/);
    assert.throws(() => compileSchedule({ cron: "0 * * * *", timezone: "Mars/Base" }), /Unknown time zone `Mars\/Base`/);
    assert.throws(() => compileSchedule({ rrule: "FREQ=SOMETIMES" }), /Invalid RRULE `FREQ=SOMETIMES`/);
    assert.throws(() => compileSchedule({ interval: "soon" }), /got `"soon"`/);
    assert.throws(() => compileSchedule({ interval: "1h", anchor: "yesterday" }), /anchor.*`yesterday`/);
    assert.throws(() => compileSchedule({ cron: "0 * * * *", interval: 5 } as never), /exactly one of/);
  });
});

describe("a deployment's schedules together", () => {
  it("says them in words and merges their next times in order, once each", () => {
    assert.equal(describeSchedules([]), "-");
    assert.equal(describeSchedules([{ interval: "2h" }, { cron: "0 9 * * *", timezone: "UTC" }]), 'every 2 hours; cron "0 9 * * *" (UTC)');
    const times = nextScheduledTimes([{ interval: "6h" }, { cron: "0 */12 * * *", timezone: "UTC" }], 4, at("2026-03-02T01:00:00Z"));
    assert.deepEqual(
      times.map((time) => time.toISOString()),
      ["2026-03-02T06:00:00.000Z", "2026-03-02T12:00:00.000Z", "2026-03-02T18:00:00.000Z", "2026-03-03T00:00:00.000Z"],
    );
    assert.deepEqual(nextScheduledTimes([], 3, at("2026-03-02T01:00:00Z")), []);
  });
});
