/**
 * Deployment schedules: cron (croner, with time zones), fixed intervals with an anchor, and RRULE
 * (rrule). A schedule is validated once (`compileSchedule`) and then asked for its next times.
 * Browser-safe (no node: imports): the dashboard bundles it to say a deployment's schedules in
 * words and list its next runs, as the CLI does.
 */
import { Cron } from "croner";
import { rrulestr } from "rrule";
import { InvalidOptionError } from "../errors.js";

export type ScheduleSpec =
  | { cron: string; timezone?: string }
  | { interval: number | string; anchor?: string; timezone?: string }
  | { rrule: string; timezone?: string };

export interface CompiledSchedule {
  readonly spec: ScheduleSpec;
  /** The first time strictly after `after`, or undefined when the schedule has no more times. */
  nextAfter(after: Date): Date | undefined;
  /** Up to `count` times strictly after `after`, in order. */
  next(count: number, after: Date): Date[];
  /** The schedule in words: `every 2 hours`, `cron "0 * * * *" (Europe/Berlin)`. */
  describe(): string;
}

/** Prefect's default anchor for interval schedules. */
const DEFAULT_ANCHOR = "2020-01-01T00:00:00.000Z";
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Seconds in an interval given as a number of seconds or a duration string (`"90s"`, `"2h"`, `"1h30m"`, `"1d"`).
 * @example parseInterval("2h") // 7200
 */
export function parseInterval(value: number | string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 1) {
      throw new InvalidOptionError(`Expected \`interval\` to be at least 1 second, got \`${value}\` (number).`);
    }
    return value;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseInterval(Number(text));
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*([smhdw])/gi)];
  const consumed = parts.map((p) => p[0]).join("");
  if (parts.length === 0 || consumed.replace(/\s/g, "") !== text.replace(/\s/g, "")) {
    throw new InvalidOptionError(
      `Expected \`interval\` to be seconds or a duration like "90s", "30m", "2h", "1d" or "1h30m", got \`${JSON.stringify(value)}\`.`,
    );
  }
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!.toLowerCase()]!, 0);
  return parseInterval(seconds);
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export interface CompileOptions {
  /**
   * Where an RRULE without `DTSTART` starts: its times keep this time's minutes and seconds (and
   * hours, days… that the rule does not set). Give one that does not move — the deployment's
   * creation — or every computation re-anchors the rule at "now" and its times move with it.
   * @default now (for validation, or a rule with its own DTSTART)
   */
  anchor?: Date;
}

/** Whether an RRULE text sets its own start (`DTSTART:…` or `DTSTART;TZID=…:…`). */
export function rruleHasDtstart(rule: string): boolean {
  return /(^|\n)\s*DTSTART[:;]/i.test(rule);
}

/** Validates a schedule and prepares it for computing times. Throws InvalidOptionError naming the bad value. */
export function compileSchedule(spec: ScheduleSpec, options: CompileOptions = {}): CompiledSchedule {
  if (spec === null || typeof spec !== "object") {
    throw new InvalidOptionError(`Expected a schedule like { cron: "0 * * * *" }, { interval: "2h" } or { rrule: "…" }, got \`${String(spec)}\`.`);
  }
  const kinds = (["cron", "interval", "rrule"] as const).filter((k) => k in spec);
  if (kinds.length !== 1) {
    throw new InvalidOptionError(
      `A schedule needs exactly one of \`cron\`, \`interval\` or \`rrule\`, got ${kinds.length ? kinds.map((k) => `\`${k}\``).join(" and ") : "none"}.`,
    );
  }
  if (spec.timezone !== undefined && !isValidTimezone(spec.timezone)) {
    throw new InvalidOptionError(`Unknown time zone \`${spec.timezone}\`: use an IANA name such as "Europe/Berlin" or "UTC".`);
  }
  if ("cron" in spec) return cronSchedule(spec);
  if ("interval" in spec) return intervalSchedule(spec);
  return rruleSchedule(spec, options.anchor);
}

function cronSchedule(spec: { cron: string; timezone?: string }): CompiledSchedule {
  let cron: Cron;
  try {
    cron = new Cron(spec.cron, { paused: true, ...(spec.timezone ? { timezone: spec.timezone } : {}) });
  } catch (error) {
    throw new InvalidOptionError(`Invalid cron expression \`${spec.cron}\`: ${(error as Error).message.replace(/^CronPattern: /, "")}.`);
  }
  const nextAfter = (after: Date) => cron.nextRun(after) ?? undefined;
  return {
    spec,
    nextAfter,
    next: (count, after) => cron.nextRuns(count, after),
    describe: () => `cron "${spec.cron}"${spec.timezone ? ` (${spec.timezone})` : ""}`,
  };
}

function intervalSchedule(spec: { interval: number | string; anchor?: string }): CompiledSchedule {
  const seconds = parseInterval(spec.interval);
  const anchorText = spec.anchor ?? DEFAULT_ANCHOR;
  const anchor = Date.parse(anchorText);
  if (Number.isNaN(anchor)) {
    throw new InvalidOptionError(`Expected \`anchor\` to be an ISO 8601 date, got \`${anchorText}\`.`);
  }
  const step = seconds * 1000;
  const nextAfter = (after: Date) => {
    const elapsed = after.getTime() - anchor;
    const steps = elapsed < 0 ? 0 : Math.floor(elapsed / step) + 1;
    return new Date(anchor + steps * step);
  };
  return {
    spec,
    nextAfter,
    next: (count, after) => {
      const times: Date[] = [];
      let cursor = after;
      for (let i = 0; i < count; i++) {
        cursor = nextAfter(cursor);
        times.push(cursor);
      }
      return times;
    },
    describe: () => `every ${describeSeconds(seconds)}`,
  };
}

function rruleSchedule(spec: { rrule: string; timezone?: string }, anchor: Date | undefined): CompiledSchedule {
  let rule: ReturnType<typeof rrulestr>;
  // rrule's own default start is the time of parsing, to the second: whole seconds here too.
  const dtstart = anchor !== undefined && !rruleHasDtstart(spec.rrule) ? new Date(Math.floor(anchor.getTime() / 1000) * 1000) : undefined;
  try {
    rule = rrulestr(spec.rrule, { ...(spec.timezone ? { tzid: spec.timezone } : {}), ...(dtstart ? { dtstart } : {}) });
    rule.after(new Date(0)); // surfaces rules that parse but cannot produce dates
  } catch (error) {
    throw new InvalidOptionError(`Invalid RRULE \`${spec.rrule}\`: ${(error as Error).message}.`);
  }
  return {
    spec,
    nextAfter: (after) => rule.after(after, false) ?? undefined,
    next: (count, after) => {
      const times: Date[] = [];
      let cursor: Date | null = after;
      while (times.length < count && cursor) {
        cursor = rule.after(cursor, false);
        if (cursor) times.push(cursor);
      }
      return times;
    },
    describe: () => rule.toText(),
  };
}

/** A deployment's schedules in words, `; `-separated (`every 2 hours; cron "0 9 * * 1"`), or `-` without any. */
export function describeSchedules(specs: readonly ScheduleSpec[]): string {
  if (specs.length === 0) return "-";
  return specs.map((spec) => compileSchedule(spec).describe()).join("; ");
}

/**
 * The next `count` times of all of a deployment's schedules together, strictly after `after`, in
 * order, without duplicates. `anchor` is the deployment's creation, as the scheduler takes it (an
 * RRULE without DTSTART starts there).
 */
export function nextScheduledTimes(specs: readonly ScheduleSpec[], count: number, after: Date, anchor?: Date): Date[] {
  const times = new Map<number, Date>();
  for (const spec of specs) {
    for (const time of compileSchedule(spec, anchor === undefined ? {} : { anchor }).next(count, after)) times.set(time.getTime(), time);
  }
  return [...times.values()].sort((a, b) => a.getTime() - b.getTime()).slice(0, count);
}

function describeSeconds(seconds: number): string {
  for (const [unit, size] of [["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]] as const) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return n === 1 ? unit : `${n} ${unit}s`;
    }
  }
  return seconds === 1 ? "second" : `${seconds} seconds`;
}
