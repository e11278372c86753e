/**
 * Progress on a terminal: the run tree redrawn in place (a spinner on running runs, live
 * durations), with log lines and the flow's own output printed above it. Drawn at the terminal's
 * pace: once a frame (80 ms), the lines that came since and the tree in one write, however many
 * events arrived in between.
 */
import type { RunEvent } from "../../engine/run-events.js";
import type { OutputStream } from "../cli-context.js";
import { formatRunTree } from "./format-run-tree.js";
import { formatClock } from "./format-time.js";
import { LiveRunTree } from "./live-run-tree.js";
import type { RunProgress } from "./progress.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;

export class TtyProgress implements RunProgress {
  private readonly runs: LiveRunTree;
  private drawnLines = 0;
  private frame = 0;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;
  /** Lines to print above the tree on the next frame. */
  private above: string[] = [];

  constructor(
    rootId: string,
    private readonly out: OutputStream,
    private readonly rows: number,
    /** How a log line's message is shown (stack traces folded). */
    private readonly showMessage: (message: string) => string = (message) => message,
  ) {
    this.runs = new LiveRunTree(rootId);
    this.out.write("\x1b[?25l");
    this.timer = setInterval(() => {
      this.frame = (this.frame + 1) % SPINNER.length;
      this.redraw();
    }, FRAME_MS);
    this.timer.unref();
  }

  onEvent(event: RunEvent): void {
    if (event.kind === "log") {
      const { log } = event;
      const who = this.runs.label(log.flowRunId, log.taskRunId);
      this.printAbove(`\x1b[2m${formatClock(log.timestamp)}\x1b[0m ${log.level.toUpperCase().padEnd(7)} ${who} | ${this.showMessage(log.message)}`);
      return;
    }
    // State changes are drawn on the next frame, so a burst of events costs one redraw.
    this.runs.apply(event);
  }

  onOutput(line: string): void {
    this.printAbove(line);
  }

  note(message: string): void {
    this.printAbove(`\x1b[33m${message}\x1b[0m`);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.out.write(`${this.eraseSequence()}${this.takeAbove()}\x1b[?25h`);
  }

  private printAbove(line: string): void {
    if (this.stopped) this.out.write(`${line}\n`);
    else this.above.push(line);
  }

  /** The lines waiting to be printed above the tree, as text, and none left waiting. */
  private takeAbove(): string {
    if (this.above.length === 0) return "";
    const text = `${this.above.join("\n")}\n`;
    this.above = [];
    return text;
  }

  private redraw(): void {
    if (this.stopped) return;
    const tree = this.runs.tree();
    if (!tree) {
      if (this.above.length > 0) this.out.write(`${this.eraseSequence()}${this.takeAbove()}`);
      return;
    }
    const width = Math.max(20, (this.out.columns || 80) - 1);
    const maxChildren = Math.max(3, Math.min(20, this.rows - 6));
    let lines = formatRunTree(tree, { now: new Date(), color: true, spinner: SPINNER[this.frame]!, maxChildren, width });
    if (lines.length > this.rows - 2) lines = [...lines.slice(0, this.rows - 3), "\x1b[2m…\x1b[0m"];
    // One write per frame, so the terminal never shows a half-drawn tree.
    this.out.write(`${this.eraseSequence()}${this.takeAbove()}${lines.join("\n")}\n`);
    this.drawnLines = lines.length;
  }

  /** Moves to the first line of the drawn tree and clears to the end of the screen. */
  private eraseSequence(): string {
    const sequence = this.drawnLines === 0 ? "" : `\x1b[${this.drawnLines}F\x1b[0J`;
    this.drawnLines = 0;
    return sequence;
  }
}
