/**
 * The parent's side of one flow run in a child process: forks the child runner, hands it the run,
 * relays its events and output to the progress view, forwards cancellation, and says how the child
 * ended. The child is not left to die with the terminal's Ctrl-C (it ignores SIGINT): the parent
 * decides, so that a first Ctrl-C cancels cleanly and a second one kills.
 */
import { fork, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import type { FlowRunRecord } from "../../store/records.js";
import type { RunProgress } from "../render/progress.js";
import type { ChildMessage, StartRunMessage } from "./child-protocol.js";
import { ReportedRuns } from "./reported-runs.js";

export type ChildRunOutcome =
  | { kind: "usage-error"; message: string }
  | { kind: "finished"; run: FlowRunRecord }
  /** The child ended without finishing the run: killed, out of memory, `process.exit`, a runner bug. */
  | { kind: "died"; started: boolean; signal: NodeJS.Signals | null; code: number | null; runnerError?: string };

export interface ChildRunOptions {
  /** The built child runner (`dist/cli/run-child.js`). */
  runnerFile: string;
  start: StartRunMessage;
  progress: RunProgress;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * A runner started earlier and still idle (the server's spare): it is given this run instead of
   * forking a new process. It was started before the run was known, so `start.workDir` and
   * `start.env` carry what `cwd` and `env` would have set. Never hand one process two runs.
   */
  process?: ChildProcess;
}

export class ChildRun {
  readonly outcome: Promise<ChildRunOutcome>;
  /** Every run and transition the child reported, for when it dies before committing them. */
  readonly reported = new ReportedRuns();
  private readonly child: ChildProcess;

  constructor(options: ChildRunOptions) {
    this.child =
      options.process ??
      fork(options.runnerFile, [], {
        cwd: options.cwd,
        env: options.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        execArgv: ["--enable-source-maps"],
      });
    this.outcome = this.watch(options);
    this.child.send(options.start);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the engine in the child to cancel the run (it ends `Cancelled`). */
  cancel(reason: string): void {
    if (this.child.connected) this.child.send({ type: "cancel", reason });
  }

  /** Ends the child at once; the run is then marked `Crashed` by the caller. */
  kill(): void {
    this.child.kill("SIGKILL");
  }

  private watch({ progress }: ChildRunOptions): Promise<ChildRunOutcome> {
    let usageError: string | undefined;
    let finished: FlowRunRecord | undefined;
    let runnerError: string | undefined;
    let started = false;
    this.child.on("message", (message: ChildMessage) => {
      switch (message.type) {
        case "event":
          this.reported.record(message.event);
          progress.onEvent(message.event);
          break;
        case "started":
          started = true;
          break;
        case "finished":
          finished = message.run;
          break;
        case "usage-error":
          usageError = message.message;
          break;
        case "runner-error":
          runnerError = message.message;
          break;
      }
    });
    for (const stream of ["stdout", "stderr"] as const) {
      const input = this.child[stream];
      if (input) readline.createInterface({ input, crlfDelay: Infinity }).on("line", (line) => progress.onOutput(line, stream));
    }
    return new Promise((resolve, reject) => {
      this.child.once("error", reject);
      this.child.once("close", (code, signal) => {
        if (finished) resolve({ kind: "finished", run: finished });
        else if (usageError !== undefined) resolve({ kind: "usage-error", message: usageError });
        else resolve({ kind: "died", started, code, signal, ...(runnerError !== undefined ? { runnerError } : {}) });
      });
    });
  }
}
