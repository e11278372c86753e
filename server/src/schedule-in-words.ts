import { Cron } from "croner";
import { parseIntervalSeconds } from "./analysis/interval-seconds.js";

/**
 * A deployment's schedules as a person would say them, for its code lens:
 * `every 2 hours`, `cron 0 6 * * * (UTC) · next 2026-11-26 06:00 UTC`, `no schedule`.
 */
export function scheduleInWords(schedules: readonly unknown[], now = new Date()): string {
  if (schedules.length === 0) return "no schedule";
  return schedules.map((s) => oneSchedule(s, now)).join("; ");
}

function oneSchedule(schedule: unknown, now: Date): string {
  if (typeof schedule !== "object" || schedule === null) return "a schedule";
  const s = schedule as Record<string, unknown>;
  if (typeof s.cron === "string") {
    const timezone = typeof s.timezone === "string" ? s.timezone : undefined;
    const words = `cron ${s.cron}${timezone ? ` (${timezone})` : ""}`;
    const next = nextCron(s.cron, timezone, now);
    return next ? `${words} · next ${next}` : words;
  }
  if (typeof s.interval === "number" || typeof s.interval === "string") {
    const seconds = parseIntervalSeconds(s.interval);
    return seconds === undefined ? `interval ${String(s.interval)}` : `every ${duration(seconds)}`;
  }
  if (typeof s.rrule === "string") return `rrule ${s.rrule}`;
  return "a schedule";
}

function nextCron(expression: string, timezone: string | undefined, now: Date): string | undefined {
  try {
    const next = new Cron(expression, { timezone, paused: true }).nextRun(now);
    return next ? `${next.toISOString().slice(0, 16).replace("T", " ")} UTC` : undefined;
  } catch {
    return undefined;
  }
}

const UNITS: [number, string][] = [
  [604800, "week"],
  [86400, "day"],
  [3600, "hour"],
  [60, "minute"],
  [1, "second"],
];

/** 7200 → "2 hours", 5400 → "1 hour 30 minutes", 60 → "minute". */
export function duration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    if (n === 0) continue;
    parts.push(`${n} ${unit}${n === 1 ? "" : "s"}`);
    rest -= n * size;
  }
  return parts.length === 1 && parts[0]!.startsWith("1 ") ? parts[0]!.slice(2) : parts.join(" ");
}
