/**
 * The worker's runner processes (`run-child.js --shared`, cli/run/shared-runner.ts). Starting node
 * with the runtime and SQLite costs ~250 ms here and ~0.35 CPU-s; a runner that is already up
 * starts a run in a few ms. So:
 * - runs of a deployment with `isolation: "shared"` (the default) go to its project's runner (one
 *   per `workDir`: a process has one working directory), which executes many at once, each in its
 *   own run context. A runner that has loaded `maxBundles` different bundles (the source changed
 *   that often) retires — it takes no new runs and exits when its runs are over — so old code does
 *   not pile up in memory;
 * - a run of a deployment with `isolation: "process"` gets a runner of its own, which retires at once;
 * - `spares` runners are kept started, idle and not yet bound to a project: a new project's first
 *   run, or a process-isolated run, takes one; the next is started right after. A spare that dies
 *   idle is replaced after 100 ms, doubling to 30 s while they keep dying.
 *
 * Each run is watched as a one-run child is (child-watchdog.ts): its runner's heartbeats, its
 * timeout and its cancel grace. A watchdog that fires stops the runner — only its process can
 * end a run whose code blocks the event loop — and every run in it ends: the one watched with the
 * watchdog's reason, the others `Crashed`, saying why.
 */
import { fork, type ChildProcess } from "node:child_process";
import type { RunEvent } from "../engine/run-events.js";
import type { FlowRunRecord } from "../store/records.js";
import type { AbandonedRunEnding } from "../store/store.js";
import type { ChildRunOutcome } from "../cli/run/child-run.js";
import type { ChildMessage, ParentMessage, SharedRunnerMessage, StartRunMessage } from "../cli/run/child-protocol.js";
import { ChildWatchdog, type ChildWatchdogOptions } from "../cli/run/child-watchdog.js";
import { ReportedRuns } from "../cli/run/reported-runs.js";

export type RunIsolation = "shared" | "process";

export interface RunnerPoolOptions {
  /** The built runner (`runtime/dist/cli/run-child.js`). */
  runnerFile: string;
  /** How many unbound runners to keep started and idle. */
  spares: number;
  /** The SQLite store the runs use: a spare opens it while it waits. */
  storePath?: string;
  /** The environment runners start with (each run's own variables also come with its start message). */
  env: () => NodeJS.ProcessEnv;
  watchdog: ChildWatchdogOptions;
  /**
   * A shared runner retires after loading this many different bundles of its project.
   * @default 16
   */
  maxBundles?: number;
  onError: (error: unknown) => void;
  /** Told of every runner started (tests). */
  onSpawned?: (child: ChildProcess) => void;
}

/** The worker's side of one run in a runner. */
export interface RunHandle {
  readonly outcome: Promise<ChildRunOutcome>;
  /** Every run and transition the runner reported, for when it dies before committing them. */
  readonly reported: ReportedRuns;
  /** The pid of the process executing the run. */
  readonly pid: number | undefined;
  /** Asks the engine to cancel the run; its runner is stopped if it has not ended the run after the grace. */
  cancel(reason: string): void;
  /** Stops the run's process at once (the worker is closing). */
  kill(): void;
}

export interface RunHooks {
  onEvent(event: RunEvent): void;
  /** Each heartbeat of the run's runner (the worker records it for the run). */
  onHeartbeat(): void;
}

const DEFAULT_MAX_BUNDLES = 16;
/**
 * A runner still loading (node, the runtime, the store) cannot send heartbeats; until it says
 * `ready`, the pool speaks for its runs (every second, or more often when the watchdog's heartbeat
 * timeout is shorter) — for at most this long, after which one that
 * has not loaded is taken for stuck and its runs' watchdogs end them.
 */
const LOADING_ALLOWANCE_MS = 60_000;
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 30_000;

export class RunnerPool {
  private readonly idle = new Set<Runner>();
  private readonly byWorkDir = new Map<string, Runner>();
  private readonly all = new Set<Runner>();
  private readonly readyWaiters: (() => void)[] = [];
  private closed = false;
  private failures = 0;
  private restart: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunnerPoolOptions) {
    this.fill();
  }

  /** Hands the run to a runner: its project's, or a spare, or a new one. */
  start(start: StartRunMessage, isolation: RunIsolation, hooks: RunHooks): RunHandle {
    const workDir = start.workDir ?? process.cwd();
    let runner: Runner | undefined;
    if (isolation === "shared") {
      runner = this.byWorkDir.get(workDir);
      if (runner !== undefined && !runner.accepts(start.bundle, this.options.maxBundles ?? DEFAULT_MAX_BUNDLES)) {
        this.byWorkDir.delete(workDir);
        runner.retire();
        runner = undefined;
      }
    }
    if (runner === undefined) {
      runner = this.takeSpare() ?? this.spawn();
      if (isolation === "shared") this.byWorkDir.set(workDir, runner);
    }
    const run = runner.start(start, hooks, this.options.watchdog);
    if (isolation === "process") runner.retire();
    return run;
  }

  /** The pids of the idle spares. */
  get idlePids(): number[] {
    return [...this.idle].flatMap((runner) => (runner.child.pid !== undefined ? [runner.child.pid] : []));
  }

  /** The pids of every runner, idle or busy (tests). */
  get pids(): number[] {
    return [...this.all].flatMap((runner) => (runner.child.pid !== undefined ? [runner.child.pid] : []));
  }

  /** Resolves when every spare is started and loaded. */
  whenReady(): Promise<void> {
    if (this.isReady()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Kills every runner, starts no more, and resolves once all have exited: a runner killed while it
   * opens the store still creates or deletes the store's -wal and -shm files, so whoever removes
   * the store's directory next must not race it.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restart);
    const runners = [...this.all];
    for (const runner of runners) runner.kill("The server stopped while the run was executing.");
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    await Promise.all(runners.map((runner) => runner.exited));
  }

  private isReady(): boolean {
    return this.closed || (this.idle.size >= this.options.spares && [...this.idle].every((runner) => runner.ready));
  }

  private takeSpare(): Runner | undefined {
    const order = [...this.idle].sort((a, b) => Number(b.ready) - Number(a.ready));
    this.fillSoon();
    for (const runner of order) {
      this.idle.delete(runner);
      if (!runner.alive) continue;
      this.failures = 0;
      return runner;
    }
    return undefined;
  }

  /** After the caller has handed the taken runner its run: forking blocks for several ms. */
  private fillSoon(): void {
    setImmediate(() => this.fill());
  }

  private fill(): void {
    if (this.restart !== undefined) return;
    while (!this.closed && this.idle.size < this.options.spares) this.idle.add(this.spawn());
  }

  private spawn(): Runner {
    const args = ["--shared", ...(this.options.storePath !== undefined ? ["--store", this.options.storePath] : [])];
    const child = fork(this.options.runnerFile, args, {
      env: this.options.env(),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      execArgv: ["--enable-source-maps"],
    });
    // Nobody reads a runner's output (the runs' logs go to the store); drained so the pipes never fill.
    child.stdout?.resume();
    child.stderr?.resume();
    child.once("error", (error) => this.options.onError(error));
    this.options.onSpawned?.(child);
    const runner = new Runner(
      child,
      () => {
        if (this.isReady()) for (const resolve of this.readyWaiters.splice(0)) resolve();
      },
      this.options.watchdog.heartbeatTimeoutMs,
    );
    this.all.add(runner);
    void runner.exited.then(() => {
      this.all.delete(runner);
      for (const [dir, bound] of this.byWorkDir) if (bound === runner) this.byWorkDir.delete(dir);
      if (!this.idle.delete(runner) || this.closed) return;
      // A spare died before it was given a run: replace it, slower each time they keep dying.
      this.failures++;
      const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (this.failures - 1));
      this.restart = setTimeout(() => {
        this.restart = undefined;
        this.fill();
      }, delay);
    });
    return runner;
  }
}

/** One runner process and the runs it executes. */
class Runner {
  readonly runs = new Map<string, SharedRun>();
  readonly exited: Promise<void>;
  ready = false;
  private readonly bundles = new Set<string>();
  private readonly outbox: ParentMessage[] = [];
  private retired = false;
  /** Why the runner was stopped, for the runs it takes down with it. */
  private killReason: string | undefined;

  constructor(
    readonly child: ChildProcess,
    onReady: () => void,
    heartbeatTimeoutMs: number | undefined,
  ) {
    const loadingSince = Date.now();
    const loading = setInterval(() => {
      if (Date.now() - loadingSince > LOADING_ALLOWANCE_MS) clearInterval(loading);
      else for (const run of this.runs.values()) run.onHeartbeat();
    }, Math.min(1000, (heartbeatTimeoutMs ?? 10_000) / 4));
    loading.unref();
    child.on("message", (message: SharedRunnerMessage) => {
      if (message.type === "ready") {
        clearInterval(loading);
        this.ready = true;
        onReady();
      } else if (message.type === "heartbeat") {
        for (const run of this.runs.values()) run.onHeartbeat();
      } else if (message.type === "run") {
        const run = this.runs.get(message.flowRunId);
        if (run !== undefined && run.onMessage(message.message)) this.runs.delete(message.flowRunId);
      }
    });
    this.exited = new Promise((resolve) => {
      child.once("close", (code, signal) => {
        clearInterval(loading);
        for (const run of this.runs.values()) run.onRunnerExit(code, signal, this.killReason);
        this.runs.clear();
        resolve();
      });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.connected;
  }

  /** Whether this runner takes a run of `bundle` (it has not retired and has room for one more bundle). */
  accepts(bundle: string, maxBundles: number): boolean {
    return this.alive && !this.retired && (this.bundles.has(bundle) || this.bundles.size < maxBundles);
  }

  start(start: StartRunMessage, hooks: RunHooks, watchdog: ChildWatchdogOptions): SharedRun {
    this.bundles.add(start.bundle);
    const run = new SharedRun(this, start.flowRunId, hooks, watchdog);
    this.runs.set(start.flowRunId, run);
    this.send(start);
    return run;
  }

  /** Sends at the end of this turn, with the others sent in it, in order. */
  send(message: ParentMessage): void {
    this.outbox.push(message);
    if (this.outbox.length > 1) return;
    setImmediate(() => {
      const messages = this.outbox.splice(0);
      if (!this.child.connected) return;
      this.child.send(messages.length === 1 ? messages[0]! : { type: "batch", messages });
    });
  }

  /** Takes no more runs; the process exits once its runs are over. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.send({ type: "retire" });
  }

  kill(reason: string): void {
    this.killReason ??= reason;
    this.child.kill("SIGKILL");
  }
}

class SharedRun implements RunHandle {
  readonly outcome: Promise<ChildRunOutcome>;
  readonly reported = new ReportedRuns();
  private readonly watchdog: ChildWatchdog;
  private resolve!: (outcome: ChildRunOutcome) => void;
  private started = false;
  private ending: AbandonedRunEnding | undefined;
  private settled = false;

  constructor(
    private readonly runner: Runner,
    private readonly flowRunId: string,
    private readonly hooks: RunHooks,
    watchdogOptions: ChildWatchdogOptions,
  ) {
    this.outcome = new Promise((resolve) => (this.resolve = resolve));
    this.watchdog = new ChildWatchdog(flowRunId, watchdogOptions, (ending) => {
      this.ending = ending;
      runner.kill(`Its runner was stopped because flow run ${flowRunId} in it did not respond (${ending.message})`);
    });
  }

  get pid(): number | undefined {
    return this.runner.child.pid;
  }

  cancel(reason: string): void {
    this.runner.send({ type: "cancel", reason, flowRunId: this.flowRunId });
    this.watchdog.onCancelRequested(reason);
  }

  kill(): void {
    this.watchdog.dispose();
    this.runner.kill("The server stopped while the run was executing.");
  }

  onHeartbeat(): void {
    this.watchdog.onHeartbeat();
    this.hooks.onHeartbeat();
  }

  /** Returns true when the message was the run's last. */
  onMessage(message: ChildMessage): boolean {
    // Any message about the run shows the runner's loop turning now: as good as a heartbeat for the
    // watchdog (a runner that took long to start must not be taken for frozen as its run begins).
    this.watchdog.onHeartbeat();
    switch (message.type) {
      case "events":
        for (const wire of message.events) {
          const event = this.reported.receive(wire);
          this.watchdog.onEvent(event);
          this.hooks.onEvent(event);
        }
        return false;
      case "started":
        this.started = true;
        this.watchdog.onStarted(message.timeoutSeconds);
        return false;
      case "finished":
        this.settle({ kind: "finished", run: message.run as FlowRunRecord });
        return true;
      case "aborted":
        this.settle({ kind: "aborted", message: message.message });
        return true;
      case "usage-error":
        this.settle({ kind: "usage-error", message: message.message });
        return true;
      case "runner-error":
        this.settle({ kind: "died", started: this.started, code: null, signal: null, runnerError: message.message });
        return true;
      default:
        return false;
    }
  }

  onRunnerExit(code: number | null, signal: NodeJS.Signals | null, killReason: string | undefined): void {
    const runnerError = this.ending === undefined && killReason !== undefined ? killReason : undefined;
    this.settle({
      kind: "died",
      started: this.started,
      code,
      signal,
      ...(runnerError !== undefined ? { runnerError } : {}),
      ...(this.ending !== undefined ? { ending: this.ending } : {}),
    });
  }

  private settle(outcome: ChildRunOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.watchdog.dispose();
    this.resolve(outcome);
  }
}
