/**
 * What a finished flow run came to, as the Flow Runs view shows it: its result (whole, or the
 * preview the list route gives for a long one) shortened to a line, and a failed run's error with
 * the first frame of the user's code in its stack. Pure (no `vscode`); stack frames are read by the
 * CLI's own fold-stack-trace.ts, so the view and `tributary run` agree on which frames are the user's.
 */
import type { LogLevel } from "../../../runtime/src/store/records.js";
import { classifyFrame, type FoldOptions } from "../../../runtime/src/cli/render/fold-stack-trace.js";
import type { FlowRunRecord } from "../server/tributary-api.js";

/** How many characters of a result's JSON a listed run carries (GET /api/flow-runs?resultChars). */
export const LISTED_RESULT_CHARS = 1000;

/** A run's result as JSON text, and whether that text is only the start of it (Open Result has the whole value). */
export interface ResultText {
  json: string;
  truncated: boolean;
}

/** The result as JSON (pretty when whole), or undefined when the run has none. */
export function resultText(run: Pick<FlowRunRecord, "result" | "resultPreview">): ResultText | undefined {
  if (run.result !== undefined) return { json: JSON.stringify(run.result, null, 2), truncated: false };
  if (run.resultPreview !== undefined) return { json: run.resultPreview, truncated: true };
  return undefined;
}

/** The result on one line of at most `max` characters, `…` where it was cut: `"b-42:14"`, `{"rows":3,"ok":true}`. */
export function shortResult(run: Pick<FlowRunRecord, "result" | "resultPreview">, max: number): string | undefined {
  const line = run.result !== undefined ? JSON.stringify(run.result) : run.resultPreview;
  if (line === undefined) return undefined;
  return truncate(line, max, run.result === undefined);
}

/** `text` on one line of at most `max` characters; `…` ends it when cut (or when `cut` says it already was). */
export function truncate(text: string, max: number, cut = false): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  if (line.length > max) return `${line.slice(0, Math.max(0, max - 1))}…`;
  return cut ? `${line}…` : line;
}

/** The frame of the user's code nearest the throw (the first `at` line whose file is neither the engine's, a package's nor node's), as shown: `at parseRow (flows/etl.ts:4:28)`. */
export function firstUserFrame(stack: string, options: FoldOptions): string | undefined {
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) continue;
    const { origin, shown } = classifyFrame(line, options);
    if (origin === "user") return shown.trim();
  }
  return undefined;
}

/**
 * The log line that holds a failed run's stack: the last error whose message has `at` frames (the
 * flow's own `Failed: Error: …`, or the failed task's when the flow only points to it).
 */
export function failureStack(logs: readonly { level: LogLevel; message: string }[]): string | undefined {
  for (let i = logs.length - 1; i >= 0; i--) {
    const log = logs[i]!;
    if (log.level === "error" && /\n\s+at /.test(log.message)) return log.message;
  }
  return undefined;
}
