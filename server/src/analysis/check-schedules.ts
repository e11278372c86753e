import { Cron } from "croner";
import { rrulestr } from "rrule";
import { findingAt, type DraftFinding } from "./finding.js";
import { parseIntervalSeconds } from "./interval-seconds.js";
import type { FileLoc } from "./source-location.js";
import { prop, type Value } from "./static-value.js";

export { parseIntervalSeconds };

const KNOWN_TIME_ZONES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC", "GMT", "Etc/GMT"]);

export function isTimeZone(name: string): boolean {
  // Building a DateTimeFormat costs most of a millisecond: ask it only about names not listed.
  if (KNOWN_TIME_ZONES.has(name)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * TRB120 for `deploy(…, { schedule, schedules })`: cron, interval, rrule, timezone and anchor;
 * TRB122 for a valid rrule without DTSTART.
 */
export function checkSchedules(options: Value | undefined, fallback: FileLoc): DraftFinding[] {
  const schedules: Value[] = [];
  const one = prop(options, "schedule");
  if (one && one.t !== "undefined" && one.t !== "null") schedules.push(one);
  const many = prop(options, "schedules");
  if (many?.t === "array") schedules.push(...many.items);
  return schedules.flatMap((schedule) => checkSchedule(schedule, fallback));
}

function checkSchedule(schedule: Value, fallback: FileLoc): DraftFinding[] {
  const here = (value: Value): FileLoc => (value.at.file === fallback.file ? value.at : fallback);
  const problem = (value: Value, message: string) => findingAt(here(value), "error", "TRB120", message);
  if (schedule.t === "unknown") return [];
  if (schedule.t !== "object") return [problem(schedule, "A schedule is an object with one of `cron`, `interval` or `rrule`.")];
  const cron = prop(schedule, "cron");
  const interval = prop(schedule, "interval");
  const rrule = prop(schedule, "rrule");
  const kinds = [cron, interval, rrule].filter((v) => v !== undefined);
  if (kinds.length !== 1) return [problem(schedule, "A schedule needs exactly one of `cron`, `interval` or `rrule`.")];
  const findings: DraftFinding[] = [];
  const timezone = prop(schedule, "timezone");
  if (timezone?.t === "string" && !isTimeZone(timezone.v)) {
    findings.push(problem(timezone, `"${timezone.v}" is not an IANA time zone; use a name such as "Europe/Berlin" or "UTC".`));
  }
  if (cron?.t === "string") {
    const error = cronProblem(cron.v);
    if (error) findings.push(problem(cron, error));
  } else if (cron && cron.t !== "unknown") findings.push(problem(cron, "`cron` must be a cron expression string, such as \"0 * * * *\"."));
  if (interval && interval.t !== "unknown") {
    const ok = (interval.t === "number" || interval.t === "string") && parseIntervalSeconds(interval.v) !== undefined;
    if (!ok) {
      const shown = interval.t === "string" ? `"${interval.v}"` : interval.t === "number" ? String(interval.v) : "this value";
      findings.push(problem(interval, `The interval ${shown} is not valid; use a number of seconds (at least 1) or a duration such as "90s", "15m", "2h" or "1h30m".`));
    }
  }
  if (rrule?.t === "string") {
    const error = rruleProblem(rrule.v, timezone?.t === "string" && isTimeZone(timezone.v) ? timezone.v : undefined);
    if (error) findings.push(problem(rrule, error));
    else if (!/(^|\n)\s*DTSTART[:;]/i.test(rrule.v)) findings.push(findingAt(here(rrule), "warning", "TRB122", withoutDtstart(rrule.v)));
  } else if (rrule && rrule.t !== "unknown") findings.push(problem(rrule, "`rrule` must be an RFC 5545 rule string, such as \"FREQ=DAILY;BYHOUR=6\"."));
  const anchor = prop(schedule, "anchor");
  if (anchor?.t === "string" && Number.isNaN(Date.parse(anchor.v))) {
    findings.push(problem(anchor, `The anchor "${anchor.v}" is not a date; use ISO 8601, such as "2025-01-01T00:00:00Z".`));
  }
  return findings;
}

/** Expressions read before and their verdicts: a workspace's deployments share a few schedules, and parsing one costs ~0.1 ms. */
const cronVerdicts = new Map<string, string | undefined>();
const MAX_CRON_VERDICTS = 1000;

function cronProblem(expression: string): string | undefined {
  if (cronVerdicts.has(expression)) return cronVerdicts.get(expression);
  const verdict = readCron(expression);
  if (cronVerdicts.size >= MAX_CRON_VERDICTS) cronVerdicts.clear();
  cronVerdicts.set(expression, verdict);
  return verdict;
}

function readCron(expression: string): string | undefined {
  let job: Cron | undefined;
  try {
    job = new Cron(expression, { paused: true });
    if (job.nextRun() === null) return `The cron expression "${expression}" never fires.`;
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
    return `The cron expression "${expression}" is not valid: ${reason.replace(/\.$/, "")}.`;
  } finally {
    job?.stop();
  }
}

/** TRB122: the server anchors such a rule when the deployment is first registered (schedule.ts). */
function withoutDtstart(rule: string): string {
  const shown = rule.replace(/\n/g, "\\n");
  const body = /^\s*RRULE:/i.test(rule) ? shown : `RRULE:${shown}`;
  return (
    `The rrule "${shown}" has no DTSTART, so its times start when the deployment is first registered (minutes and seconds included). ` +
    `Say when it starts, as in "DTSTART:20260101T060000Z\\n${body}".`
  );
}

function rruleProblem(rule: string, timezone: string | undefined): string | undefined {
  try {
    // As the runtime does: a rule can parse and still be unable to produce a date.
    rrulestr(rule, timezone ? { tzid: timezone } : {}).after(new Date(0));
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const shown = rule.replace(/\n/g, "\\n");
    // rrule's messages are sometimes unhelpful ("Invalid frequency: undefined undefined").
    if (/undefined/.test(reason)) return `The rrule "${shown}" is not valid; write an RFC 5545 rule such as "FREQ=DAILY;BYHOUR=6".`;
    return `The rrule "${shown}" is not valid: ${reason.replace(/\.$/, "")}.`;
  }
}
