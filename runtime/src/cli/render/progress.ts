/**
 * How `tributary run` shows a run while it executes. The parent feeds it the child's run events,
 * the child's own output lines, and notes of its own ("Cancelling…").
 */
import type { RunEvent } from "../../engine/run-events.js";
import type { CliContext } from "../cli-context.js";
import { PlainProgress, QuietProgress } from "./plain-progress.js";
import { TtyProgress } from "./tty-progress.js";

export interface RunProgress {
  onEvent(event: RunEvent): void;
  /** A line the flow code printed itself (console.log in the child). */
  onOutput(line: string, stream: "stdout" | "stderr"): void;
  note(message: string): void;
  /** Stops drawing; the final summary is printed after this. */
  stop(): void;
}

/**
 * The progress a command shows of the run `flowRunId`: drawn on a terminal, lines in a pipe, none
 * but notes with `--json`; `showMessage` shapes each log line's message (stack traces folded).
 */
export function createProgress(ctx: CliContext, flowRunId: string, json: boolean, showMessage: (message: string) => string): RunProgress {
  if (json) return new QuietProgress(ctx.stderr);
  if (ctx.stdout.isTTY) return new TtyProgress(flowRunId, ctx.stdout, ctx.stdout.rows || 24, showMessage);
  return new PlainProgress(flowRunId, ctx.stdout, ctx.stderr, showMessage);
}
