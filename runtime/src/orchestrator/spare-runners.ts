/**
 * Child runners started before a run needs them. Starting node and loading the runtime and
 * SQLite costs ~250 ms on these machines; a run handed to a runner that is already up starts in
 * ~15 ms. Each spare executes one run and then exits (runs never share a process); taking one
 * starts the next at once. A spare that dies idle is replaced, after a delay that doubles while
 * spares keep dying (so a broken runner is not restarted in a hot loop).
 */
import { fork, type ChildProcess } from "node:child_process";

export interface SpareRunnersOptions {
  /** The built child runner (`runtime/dist/cli/run-child.js`). */
  runnerFile: string;
  /** How many runners to keep started and idle; 0 starts each run's process when it is due. */
  count: number;
  /** The store the runs will use: a spare opens it while it waits (`run-child.js --store <path>`). */
  storePath?: string;
  /** The environment the spares start with (a run's own variables come with its start message). */
  env: () => NodeJS.ProcessEnv;
  onError: (error: unknown) => void;
  /** Told of every spare started (monitoring, tests). */
  onSpawned?: (child: ChildProcess) => void;
}

/** The first restart after an idle spare died waits this long; it doubles up to MAX_RESTART_DELAY_MS. */
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 30_000;

export class SpareRunners {
  private readonly idle = new Set<ChildProcess>();
  private readonly ready = new WeakSet<ChildProcess>();
  private readonly readyWaiters: (() => void)[] = [];
  private closed = false;
  private failures = 0;
  private restart: NodeJS.Timeout | undefined;

  constructor(private readonly options: SpareRunnersOptions) {
    this.fill();
  }

  /**
   * An idle runner, removed from the pool (the next one is started at once), or undefined. A
   * runner that has loaded is preferred; one still starting is still sooner than a new fork.
   */
  take(): ChildProcess | undefined {
    const order = [...this.idle].sort((a, b) => Number(this.ready.has(b)) - Number(this.ready.has(a)));
    for (const child of order) {
      this.idle.delete(child);
      child.removeAllListeners("exit");
      child.removeAllListeners("error");
      child.removeAllListeners("message");
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) continue;
      this.failures = 0;
      this.fillSoon();
      return child;
    }
    this.fillSoon();
    return undefined;
  }

  /** The pids of the idle runners. */
  get idlePids(): number[] {
    return [...this.idle].flatMap((child) => (child.pid !== undefined ? [child.pid] : []));
  }

  /** Resolves when the pool is full and every idle runner has loaded (benchmarks, tests). */
  whenReady(): Promise<void> {
    if (this.isReady()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private isReady(): boolean {
    return this.closed || (this.idle.size >= this.options.count && [...this.idle].every((child) => this.ready.has(child)));
  }

  /**
   * Kills the idle runners, starts no more, and resolves once every one of them has exited: a
   * spare killed while it opens the store still creates or deletes the store's -wal and -shm files,
   * so whoever removes the store's directory next must not race it.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restart);
    const exited = [...this.idle].map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()))));
    for (const child of this.idle) child.kill("SIGKILL");
    this.idle.clear();
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    await Promise.all(exited);
  }

  /** After the caller has handed the taken runner its run: forking blocks for several ms. */
  private fillSoon(): void {
    setImmediate(() => this.fill());
  }

  private fill(): void {
    if (this.restart !== undefined) return;
    while (!this.closed && this.idle.size < this.options.count) this.idle.add(this.spawn());
  }

  private spawn(): ChildProcess {
    const args = this.options.storePath !== undefined ? ["--store", this.options.storePath] : [];
    const child = fork(this.options.runnerFile, args, {
      env: this.options.env(),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      execArgv: ["--enable-source-maps"],
    });
    child.once("error", (error) => this.options.onError(error));
    this.options.onSpawned?.(child);
    child.on("message", (message: { type?: string }) => {
      if (message.type !== "ready") return;
      this.ready.add(child);
      if (this.isReady()) for (const resolve of this.readyWaiters.splice(0)) resolve();
    });
    child.once("exit", () => {
      if (!this.idle.delete(child) || this.closed) return;
      this.failures++;
      const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (this.failures - 1));
      this.restart = setTimeout(() => {
        this.restart = undefined;
        this.fill();
      }, delay);
    });
    return child;
  }
}
