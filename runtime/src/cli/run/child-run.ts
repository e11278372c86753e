/**
 * The parent's side of one flow run in a child process: forks the child runner, hands it the run,
 * relays its events and output to the progress view, forwards cancellation, and says how the child
 * ended. The child is not left to die with the terminal's Ctrl-C (it ignores SIGINT): the parent
 * decides, so that a first Ctrl-C cancels cleanly and a second one kills. A child that does not end
 * its run when it should (its timeout passed, it was asked to cancel, it stopped sending heartbeats)
 * is killed: see child-watchdog.ts.
 */
import { fork, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import type { FlowRunRecord } from "../../store/records.js";
import type { AbandonedRunEnding } from "../../store/store.js";
import type { RunProgress } from "../render/progress.js";
import type { ChildMessage, StartRunMessage } from "./child-protocol.js";
import { ChildWatchdog, type ChildWatchdogOptions } from "./child-watchdog.js";
import { ReportedRuns } from "./reported-runs.js";

export type ChildRunOutcome =
  | { kind: "usage-error"; message: string }
  | { kind: "finished"; run: FlowRunRecord }
  /** The store refused the run's writes and the child stopped executing it (ChildMessage `aborted`): nothing is left to write. */
  | { kind: "aborted"; message: string }
  /**
   * The child ended without finishing the run: killed, out of memory, `process.exit`, a runner bug.
   * `ending` is set when the watchdog had it killed: how the run ends, and why.
   */
  | { kind: "died"; started: boolean; signal: NodeJS.Signals | null; code: number | null; runnerError?: string; ending?: AbandonedRunEnding };

export interface ChildRunOptions {
  /** The built child runner (`runtime/dist/cli/run-child.js`). */
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
  /** The grace after a timeout or a cancel, and the heartbeat timeout (child-watchdog.ts). */
  watchdog?: ChildWatchdogOptions;
  /** Told of each heartbeat the child sends (the worker records it for the run). */
  onHeartbeat?: () => void;
}

export class ChildRun {
  readonly outcome: Promise<ChildRunOutcome>;
  /** Every run and transition the child reported, for when it dies before committing them. */
  readonly reported = new ReportedRuns();
  private readonly child: ChildProcess;
  private readonly watchdog: ChildWatchdog;
  /** Why the watchdog had the child killed, once it has. */
  private ending: AbandonedRunEnding | undefined;

  constructor(options: ChildRunOptions) {
    this.child =
      options.process ??
      fork(options.runnerFile, [], {
        cwd: options.cwd,
        env: options.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        execArgv: ["--enable-source-maps"],
      });
    this.watchdog = new ChildWatchdog(options.start.flowRunId, options.watchdog ?? {}, (ending) => {
      this.ending = ending;
      this.child.kill("SIGKILL");
    });
    this.outcome = this.watch(options);
    this.child.send(options.start);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Asks the engine in the child to cancel the run (it ends `Cancelled`); a child that has not
   * ended the run after the grace is killed, and the run ends `Cancelled` all the same.
   */
  cancel(reason: string): void {
    if (this.child.connected) this.child.send({ type: "cancel", reason });
    this.watchdog.onCancelRequested(reason);
  }

  /** Ends the child at once; the run is then marked `Crashed` by the caller. */
  kill(): void {
    this.watchdog.dispose();
    this.child.kill("SIGKILL");
  }

  private watch({ progress, onHeartbeat }: ChildRunOptions): Promise<ChildRunOutcome> {
    let usageError: string | undefined;
    let finished: FlowRunRecord | undefined;
    let aborted: string | undefined;
    let runnerError: string | undefined;
    let started = false;
    this.child.on("message", (message: ChildMessage) => {
      switch (message.type) {
        case "events":
          for (const wire of message.events) {
            const event = this.reported.receive(wire);
            this.watchdog.onEvent(event);
            progress.onEvent(event);
          }
          break;
        case "heartbeat":
          this.watchdog.onHeartbeat();
          onHeartbeat?.();
          break;
        case "started":
          started = true;
          this.watchdog.onStarted(message.timeoutSeconds);
          break;
        case "finished":
          finished = message.run;
          break;
        case "aborted":
          aborted = message.message;
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
      this.child.once("error", (error) => {
        this.watchdog.dispose();
        reject(error);
      });
      this.child.once("close", (code, signal) => {
        this.watchdog.dispose();
        if (finished) resolve({ kind: "finished", run: finished });
        else if (aborted !== undefined) resolve({ kind: "aborted", message: aborted });
        else if (usageError !== undefined) resolve({ kind: "usage-error", message: usageError });
        else {
          const why = { ...(runnerError !== undefined ? { runnerError } : {}), ...(this.ending !== undefined ? { ending: this.ending } : {}) };
          resolve({ kind: "died", started, code, signal, ...why });
        }
      });
    });
  }
}
