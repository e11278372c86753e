/**
 * Progress for a pipe or a log file: one line per state change and per log line, as they happen,
 * written in chunks (once per event-loop turn, or every 64 KB) rather than a write per line.
 *
 *     14:03:07.251 | flow-run crimson-otter | orchestrator-flow | Running
 *     14:03:07.262 | task-run extract-0 | extract | Completed
 *     14:03:07.263 | flow-run crimson-otter | INFO | Extracted 100 rows
 */
import type { RunEvent } from "../../engine/run-events.js";
import type { OutputStream } from "../cli-context.js";
import { formatClock } from "./format-time.js";
import { LiveRunTree } from "./live-run-tree.js";
import type { RunProgress } from "./progress.js";

/** Buffered stdout is written when it reaches this many characters, else at the end of the turn. */
const CHUNK_CHARS = 64 * 1024;

export class PlainProgress implements RunProgress {
  private readonly runs: LiveRunTree;
  private buffered = "";
  private flushScheduled = false;

  constructor(
    rootId: string,
    private readonly stdout: OutputStream,
    private readonly stderr: OutputStream,
    /** How a log line's message is shown (stack traces folded). */
    private readonly showMessage: (message: string) => string = (message) => message,
  ) {
    this.runs = new LiveRunTree(rootId);
  }

  onEvent(event: RunEvent): void {
    if (event.kind === "log") {
      const { log } = event;
      const who = this.runs.label(log.flowRunId, log.taskRunId);
      this.print(`${formatClock(log.timestamp)} | ${who} | ${log.level.toUpperCase()} | ${this.showMessage(log.message)}\n`);
      return;
    }
    if (!this.runs.apply(event)) return;
    const { run } = event;
    const who = event.kind === "flow-run" ? this.runs.label(run.id) : this.runs.label(event.run.flowRunId, run.id);
    const definition = event.kind === "flow-run" ? event.run.flowName : event.run.taskName;
    const message = run.state.message !== undefined && run.state.type !== "COMPLETED" ? ` | ${run.state.message.split("\n", 1)[0]}` : "";
    this.print(`${formatClock(run.state.timestamp)} | ${who} | ${definition} | ${run.state.name}${message}\n`);
  }

  onOutput(line: string, stream: "stdout" | "stderr"): void {
    if (stream === "stdout") this.print(`${line}\n`);
    else this.printError(`${line}\n`);
  }

  note(message: string): void {
    this.printError(`${message}\n`);
  }

  stop(): void {
    this.flush();
  }

  private print(text: string): void {
    this.buffered += text;
    if (this.buffered.length >= CHUNK_CHARS) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** stderr is not buffered; what stdout holds goes first, so that the two interleave as they happened. */
  private printError(text: string): void {
    this.flush();
    this.stderr.write(text);
  }

  private flush(): void {
    if (this.buffered === "") return;
    const text = this.buffered;
    this.buffered = "";
    this.stdout.write(text);
  }
}

/**
 * For `--json`: stdout carries only the run JSON, so the flow's own output goes to stderr, and so
 * does the one state change someone has to act on: a pause, with its resume command.
 */
export class QuietProgress implements RunProgress {
  constructor(private readonly stderr: OutputStream) {}
  onEvent(event: RunEvent): void {
    if (event.kind !== "flow-run" || event.run.state.name !== "Paused") return;
    this.stderr.write(`Flow run ${event.run.name} (${event.run.flowName}) is Paused: ${event.run.state.message ?? ""}\n`);
  }
  onOutput(line: string): void {
    this.stderr.write(`${line}\n`);
  }
  note(message: string): void {
    this.stderr.write(`${message}\n`);
  }
  stop(): void {}
}
