/**
 * When `deployment run --start-in | --start-at` asks its run to start, as Prefect's `deployment
 * run` takes it: a duration from now ("90s", "10 minutes", "1h30m", "2 days") or a date-time (ISO
 * 8601, or "YYYY-MM-DD HH:MM" in local time). No library here fits both: `ms` has no compound
 * durations ("1h30m"), and the schedule interval grammar has no unit words ("10 minutes").
 */
import { UsageError } from "../../errors.js";

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const UNIT_WORDS: Record<string, keyof typeof UNIT_MS> = {
  s: "s", sec: "s", secs: "s", second: "s", seconds: "s",
  m: "m", min: "m", mins: "m", minute: "m", minutes: "m",
  h: "h", hr: "h", hrs: "h", hour: "h", hours: "h",
  d: "d", day: "d", days: "d",
  w: "w", week: "w", weeks: "w",
};
/** One `<number> <unit>` part, then an optional separator (a comma or "and"). */
const PART = /^(\d+(?:\.\d+)?)\s*([a-z]+)\s*(?:(?:,|\band\b)\s*)?/;

/** Milliseconds of a duration such as "90s", "10 minutes", "1h30m", "2 days, 3 hours"; undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  let rest = text.trim().toLowerCase();
  if (rest === "") return undefined;
  let total = 0;
  while (rest !== "") {
    const match = PART.exec(rest);
    const unit = match ? UNIT_WORDS[match[2]!] : undefined;
    if (!match || unit === undefined) return undefined;
    total += Number(match[1]) * UNIT_MS[unit]!;
    rest = rest.slice(match[0].length);
  }
  return total;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The moment a date-time names: ISO 8601 with a zone (`2026-12-06T14:00:00Z`, `…+01:00`), or
 * without one in local time (`2026-12-06 14:00`, `2026-12-06T14:00:30`); undefined when it is not
 * one, a day the month does not have included.
 */
export function parseDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const ms = match[7] === undefined ? 0 : Number(match[7].padEnd(3, "0"));
  const zone = match[8];
  const fields = [year, month - 1, day, hour, minute, second, ms] as const;
  const utc = new Date(Date.UTC(...fields));
  // A field out of range (Feb 30, 25:00) rolls over; refuse it rather than start at another time.
  if (utc.getUTCMonth() !== fields[1] || utc.getUTCDate() !== day || utc.getUTCHours() !== hour || utc.getUTCMinutes() !== minute || utc.getUTCSeconds() !== second) {
    return undefined;
  }
  if (zone === undefined) return new Date(...fields);
  if (zone.toUpperCase() === "Z") return utc;
  const sign = zone.startsWith("-") ? -1 : 1;
  const [offsetHours, offsetMinutes] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  return new Date(utc.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

/**
 * The start time `--start-in` or `--start-at` asks for; undefined when neither is given (the run
 * starts now). Both at once, a bad value, or a time not in the future is bad usage.
 */
export function requestedStartTime(options: { startIn?: string; startAt?: string }, now: Date): Date | undefined {
  if (options.startIn !== undefined && options.startAt !== undefined) {
    throw new UsageError(`Give --start-in or --start-at, not both (got --start-in "${options.startIn}" and --start-at "${options.startAt}").`);
  }
  if (options.startIn !== undefined) {
    const ms = parseDurationMs(options.startIn);
    if (ms === undefined) throw new UsageError(`--start-in "${options.startIn}" is not a duration; write it as "90s", "10 minutes", "1h30m" or "2 days".`);
    if (ms <= 0) throw new UsageError(`--start-in "${options.startIn}" is no time from now; leave --start-in out to start the run now.`);
    return new Date(now.getTime() + ms);
  }
  if (options.startAt !== undefined) {
    const at = parseDateTime(options.startAt);
    if (at === undefined) {
      throw new UsageError(
        `--start-at "${options.startAt}" is not a date-time; write it as "YYYY-MM-DD HH:MM" (local time) or in ISO 8601 ("2026-12-06T14:00:00Z").`,
      );
    }
    if (at.getTime() <= now.getTime()) {
      throw new UsageError(`--start-at "${options.startAt}" is in the past; give a time to come, or leave --start-at out to start the run now.`);
    }
    return at;
  }
  return undefined;
}
