/**
 * The lines of a run's log document, as `tributary flow-run logs` prints them (so that the
 * `tributary-log` grammar colours them): `2026-11-25 10:00:00.123 | INFO    | task-run extract-0 | message`.
 * State changes get a line of their own: `… | INFO    | flow-run brisk-otter | → Completed`.
 * Pure: times are local, as the CLI prints them.
 */
import type { StoredLogRecord } from "../server/tributary-api.js";

/** `2026-11-25 10:00:00.123`, local time. */
export function logTimestamp(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Who wrote a line: `flow-run <run name>` or `task-run <task run name>` (the id's start when the name is unknown). */
export function logSource(kind: "flow-run" | "task-run", name: string | undefined, id: string): string {
  return `${kind} ${name ?? id.slice(0, 8)}`;
}

export function formatLogLine(log: Pick<StoredLogRecord, "timestamp" | "level" | "message">, who: string): string {
  // A multi-line message keeps the prefix on its first line only; the rest are indented.
  const [first = "", ...rest] = log.message.split("\n");
  const head = `${logTimestamp(log.timestamp)} | ${log.level.toUpperCase().padEnd(7)} | ${who} | ${first}`;
  return [head, ...rest.map((line) => `    ${line}`)].join("\n");
}

export function formatStateLine(state: { name: string; type: string; message?: string; timestamp: string }, who: string): string {
  const level = state.type === "FAILED" || state.type === "CRASHED" ? "error" : state.type === "CANCELLED" ? "warning" : "info";
  const message = state.message ? `: ${state.message.split("\n", 1)[0]}` : "";
  return formatLogLine({ timestamp: state.timestamp, level: level as StoredLogRecord["level"], message: `→ ${state.name}${message}` }, who);
}
