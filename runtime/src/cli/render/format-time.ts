/** Times and durations as the CLI prints them (local time, as a terminal user reads a clock). */

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The minute formatClock last printed, and its `HH:MM:` in local time. */
let clockMinute = Number.NaN;
let clockPrefix = "";

/**
 * `14:03:07.251`. Progress prints one per state change: the local hour and minute (a time zone
 * lookup, ~8 µs here) are worked out once a minute; zones change their offset by whole minutes.
 */
export function formatClock(iso: string): string {
  const ms = Date.parse(iso);
  const minute = Math.floor(ms / 60_000);
  const date = new Date(ms);
  if (minute !== clockMinute) {
    if (date.getSeconds() !== date.getUTCSeconds()) {
      // An offset in seconds (local mean time, before time zones): no minute to share.
      return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
    }
    clockMinute = minute;
    clockPrefix = `${pad(date.getHours())}:${pad(date.getMinutes())}:`;
  }
  const inMinute = ms - minute * 60_000;
  return `${clockPrefix}${pad(Math.floor(inMinute / 1000))}.${pad(inMinute % 1000, 3)}`;
}

/** `2024-05-01 14:03:07` */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `850ms`, `4.21s`, `2m 05s`, `1h 02m` */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

/** How long a run took, or has been running for; empty when it has not started. */
export function runDuration(startTime: string | null | undefined, endTime: string | null | undefined, now: Date): string {
  if (!startTime) return "";
  const end = endTime ? Date.parse(endTime) : now.getTime();
  return formatDuration(end - Date.parse(startTime));
}
