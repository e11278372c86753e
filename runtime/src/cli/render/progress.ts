/**
 * How `tributary run` shows a run while it executes. The parent feeds it the child's run events,
 * the child's own output lines, and notes of its own ("Cancelling…").
 */
import type { RunEvent } from "../../engine/run-events.js";

export interface RunProgress {
  onEvent(event: RunEvent): void;
  /** A line the flow code printed itself (console.log in the child). */
  onOutput(line: string, stream: "stdout" | "stderr"): void;
  note(message: string): void;
  /** Stops drawing; the final summary is printed after this. */
  stop(): void;
}
