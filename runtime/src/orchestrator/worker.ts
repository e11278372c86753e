/**
 * The worker inside the server process: executes due Scheduled runs of deployments in runner
 * processes (runner-pool.ts: a project's runs share its runner unless the deployment asks for
 * `isolation: "process"`; each run adopts its Scheduled record), within the deployment's
 * `concurrencyLimit` and the tag concurrency limits (a due run they hold back waits
 * `AwaitingConcurrencySlot`), and only runs of deployments in the work pools it serves. A due run
 * is claimed in the store before it starts (Store.claimDueRuns: atomic, limits counted
 * there), so the workers of several servers on one database never start a run twice. It wakes when
 * a run is created or finishes and, for runs scheduled later, on one timer for the earliest of
 * them — it never polls.
 *
 * The child forwards its run events over IPC; they become server events. When a child dies, what
 * it reported but had not committed is written, then the run is marked Crashed. The child sends a
 * heartbeat every `heartbeatMs` from its own event loop, which the worker records for the run; a
 * child that sends none for `heartbeatTimeoutMs` (its loop is blocked or it is frozen), that has
 * not ended its run `graceMs` after its timeout, or after it was asked to cancel, is killed and the
 * run ended Crashed, TimedOut or Cancelled (child-watchdog.ts).
 */
import type { Clock } from "../engine/clock.js";
import { DEFAULT_POOL, isPoolName, POOL_NAME_RULE, poolOf } from "../deployments/work-pools.js";
import { bundleCache, type BundleCache } from "./bundle-cache.js";
import { deploymentCodeProblem, splitEntrypoint } from "./deployment-code.js";
import { liveEventOf } from "./live-events.js";
import { RunnerPool, type RunHandle } from "./runner-pool.js";
import { FINAL_STATE_TYPES, makeState, STATE_NAMES, type StateName } from "../states.js";
import type { FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { crashEnding } from "../store/crash-retry.js";
import type { DeploymentRecord, TributaryEvent, WorkerRecord } from "./contract.js";
import type { EventHub } from "./event-hub.js";
import os from "node:os";
import path from "node:path";

export interface WorkerOptions {
  store: Store;
  hub: EventHub;
  clock: Clock;
  /** The built child runner (`runtime/dist/cli/run-child.js`). */
  runnerFile: string;
  /** The built runtime that flow bundles load as "tributaryjs" (`runtime/dist/index.js`). */
  runtimeLibrary: string;
  /** Variables the children get besides the server's own: TRIBUTARY_API_URL / TOKEN so flows can reach this server. */
  runEnv: () => Record<string, string>;
  /**
   * How often the child executing a run sends a heartbeat, which the worker records for the run (a
   * server that finds a run's heartbeat stale ends it Crashed: orphaned-runs.ts).
   * @default 2000
   * @example new Worker({ ..., heartbeatMs: 1000 })
   */
  heartbeatMs?: number;
  /**
   * A child that sends no heartbeat for this long is killed and its run ended Crashed: its event
   * loop is blocked (a CPU-bound flow) or it is frozen. Longer than `heartbeatMs`.
   * @default 10000
   * @example new Worker({ ..., heartbeatMs: 1000, heartbeatTimeoutMs: 5000 })
   */
  heartbeatTimeoutMs?: number;
  /**
   * How long a child has to end its run after its timeout or a cancel request, before it is killed
   * and the worker ends the run TimedOut or Cancelled itself.
   * @default 2000
   * @example new Worker({ ..., graceMs: 5000 })
   */
  graceMs?: number;
  /**
   * How many runner processes to keep started, idle and not yet bound to a project, so that a new
   * project's first run, or a run of a deployment with `isolation: "process"`, starts without
   * waiting for node to start (runner-pool.ts).
   * @default 1
   */
  spareRunners?: number;
  /**
   * The project directories whose code runs may execute (deployment-code.ts): a run of a
   * deployment outside them fails without running.
   */
  workDirRoots: readonly string[];
  /**
   * The work pools it serves: it runs only the runs of deployments in one of them
   * (deployments/work-pools.ts).
   * @default ["default"]
   * @example new Worker({ ..., pools: ["default", "gpu"] })
   */
  pools?: readonly string[];
  /**
   * How many runs it executes at once at most; due runs beyond wait Scheduled (another worker may take them).
   * @default unlimited
   */
  limit?: number;
  /**
   * A worker on another machine (`tributary worker start`): its own checkout of the project, where
   * every run executes — a deployment's entrypoint is relative to its project root, so it is found
   * here, not at the `workDir` of the machine that registered it.
   */
  projectDir?: string;
  /**
   * How it is listed (GET /api/workers, `tributary worker ls`): its record is saved at its start,
   * with every heartbeat and at its stop. Its name defaults to `<host>:<pid>`.
   */
  identity?: { kind: WorkerRecord["kind"]; name?: string };
  onError: (error: unknown) => void;
}

interface ActiveRun {
  child?: RunHandle;
  deploymentId: string;
  done: Promise<void>;
  cancelRequested?: string;
}

/**
 * Whether an event may give a worker a run to start: a new Scheduled run (from the API, the
 * scheduler or an automation, on this server or another), or a run ending, which may free a
 * concurrency slot.
 */
export function wakesWorker(event: TributaryEvent): boolean {
  if (event.event === "tributary.flow-run.Scheduled") return true;
  if (!event.resource.id.startsWith("tributary.flow-run.")) return false;
  const state = event.event.slice("tributary.flow-run.".length);
  return state in STATE_NAMES && FINAL_STATE_TYPES.has(STATE_NAMES[state as StateName]);
}

const DEFAULT_HEARTBEAT_MS = 2000;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export class Worker {
  private readonly active = new Map<string, ActiveRun>();
  private readonly bundles: BundleCache;
  private readonly runners: RunnerPool;
  private ticking = false;
  private again = false;
  private timer: AbortController | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];
  /** Runs whose heartbeat is to be recorded at the end of this turn (recordHeartbeat). */
  private readonly heartbeats = new Set<string>();
  private readonly pools: ReadonlySet<string>;
  /** What the store lists of it; undefined for a worker that is not listed. */
  private readonly record: WorkerRecord | undefined;
  /** Its name, as GET /api/workers lists it: recorded on each run it claims (FlowRunRecord.workerName). */
  readonly name: string;

  constructor(private readonly options: WorkerOptions) {
    const pools = options.pools ?? [DEFAULT_POOL];
    const badPool = pools.find((pool) => !isPoolName(pool));
    if (pools.length === 0 || badPool !== undefined) {
      throw new TypeError(`Expected \`pools\` to be a non-empty list of pool names (${POOL_NAME_RULE}), got ${JSON.stringify(badPool ?? pools)}.`);
    }
    this.pools = new Set(pools);
    if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1)) {
      throw new TypeError(`Expected \`limit\` to be a whole number of at least 1, got \`${String(options.limit)}\`.`);
    }
    this.bundles = bundleCache(options.runtimeLibrary);
    const count = options.spareRunners ?? 1;
    if (!Number.isInteger(count) || count < 0) {
      throw new TypeError(`Expected \`spareRunners\` to be a non-negative integer, got \`${String(count)}\` (${typeof count}).`);
    }
    const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    if (!(heartbeatMs > 0 && heartbeatTimeoutMs > heartbeatMs)) {
      throw new TypeError(
        `Expected \`heartbeatTimeoutMs\` (${String(heartbeatTimeoutMs)}) to be longer than a positive \`heartbeatMs\` (${String(heartbeatMs)}).`,
      );
    }
    if (options.graceMs !== undefined && !(options.graceMs >= 0)) {
      throw new TypeError(`Expected \`graceMs\` to be a non-negative number of milliseconds, got \`${String(options.graceMs)}\`.`);
    }
    this.runners = new RunnerPool({
      runnerFile: options.runnerFile,
      spares: count,
      // A spare opens a SQLite store while it waits; a PostgreSQL one is opened with the first run (its URL stays off argv).
      ...(options.store.databaseUrl === undefined ? { storePath: options.store.location } : {}),
      env: () => ({ ...process.env, ...options.runEnv() }),
      watchdog: {
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
        ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      },
      onError: options.onError,
    });
    this.heartbeat = setInterval(() => void this.beat(), options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.heartbeat.unref();
    const host = os.hostname();
    this.name = options.identity?.name ?? `${host}:${process.pid}`;
    if (options.identity !== undefined) {
      const now = options.clock.now().toISOString();
      this.record = { name: this.name, kind: options.identity.kind, pools: [...this.pools], host, pid: process.pid, startedAt: now, lastHeartbeat: now, runs: 0 };
      void this.saveRecord();
    }
  }

  private async saveRecord(stoppedAt?: Date): Promise<void> {
    if (this.record === undefined) return;
    const at = stoppedAt ?? this.options.clock.now();
    const record: WorkerRecord = { ...this.record, lastHeartbeat: at.toISOString(), runs: this.active.size, ...(stoppedAt !== undefined ? { stoppedAt: at.toISOString() } : {}) };
    try {
      await this.options.store.saveWorker(record);
    } catch (error) {
      this.options.onError(error);
    }
  }

  /** Whether this worker executes the run now (or is about to). */
  isExecuting(flowRunId: string): boolean {
    return this.active.has(flowRunId);
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Looks for due runs soon (coalesced: many wakes make one pass). */
  wake(): void {
    if (this.closed) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    setImmediate(() => void this.tick());
  }

  /** Asks the child executing the run to cancel it. Returns false when this worker does not execute it. */
  cancel(flowRunId: string, reason: string): boolean {
    const active = this.active.get(flowRunId);
    if (!active) return false;
    active.cancelRequested = reason;
    active.child?.cancel(reason);
    return true;
  }

  /** Resolves when the spare runners are started and loaded (runner-pool.ts). */
  sparesReady(): Promise<void> {
    return this.runners.whenReady();
  }

  /** The pids of the runner processes, idle or busy (tests). */
  get runnerPids(): number[] {
    return this.runners.pids;
  }

  /** Resolves when no run is executing. */
  idle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops starting runs; kills the idle spare runners and the children of runs still executing (they
   * end Crashed when the server restarts), and resolves once all of them have exited.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.timer?.abort();
    clearInterval(this.heartbeat);
    for (const active of this.active.values()) active.child?.kill();
    await Promise.allSettled([this.runners.close(), ...[...this.active.values()].map((a) => a.done)]);
    await this.bundles.dispose();
    await this.saveRecord(this.options.clock.now());
  }

  private async tick(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.startDueRuns();
      } while (this.again && !this.closed);
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.ticking = false;
    }
  }

  private async startDueRuns(): Promise<void> {
    const { store, clock } = this.options;
    const now = clock.now();
    let nextDue: number | undefined;
    const deployments = new Map<string, DeploymentRecord | undefined>();
    const due: { run: FlowRunRecord; deployment: DeploymentRecord }[] = [];
    for (const run of await store.listActiveFlowRuns()) {
      if (this.closed) return;
      if (run.deploymentId === undefined || this.active.has(run.id)) continue;
      if (run.state.name !== "Scheduled" && run.state.name !== "Late" && run.state.name !== "AwaitingConcurrencySlot") continue;
      const dueAt = Date.parse(run.expectedStartTime ?? run.createdAt);
      if (dueAt > now.getTime()) {
        nextDue = Math.min(nextDue ?? Infinity, dueAt);
        continue;
      }
      if (!deployments.has(run.deploymentId)) deployments.set(run.deploymentId, await store.getDeploymentById(run.deploymentId));
      const deployment = deployments.get(run.deploymentId);
      if (deployment === undefined) {
        this.finishWithoutRunning(run, "Failed", "Its deployment no longer exists.");
        continue;
      }
      // Paused, or another pool's: left Scheduled for a worker of its pool.
      if (deployment.paused || !this.pools.has(poolOf(deployment))) continue;
      due.push({ run, deployment });
    }
    // The claims are atomic in the store: of the workers of several servers that see a run, one
    // starts it; a deployment's limit counts the runs started by all of them. The due runs are
    // claimed oldest first, as many at once as the worker has room for (on SQLite, in one
    // transaction); those a limit holds back or another worker took leave room for the next ones.
    let next = 0;
    while (next < due.length && !this.closed) {
      // Full: a run ending wakes it again.
      const room = this.options.limit === undefined ? due.length - next : this.options.limit - this.active.size;
      if (room <= 0) break;
      const batch = due.slice(next, next + room);
      next += batch.length;
      const claims = await store.claimDueRuns(
        batch.map(({ run, deployment }) => {
          const limit = deployment.concurrencyLimit;
          return {
            flowRunId: run.id,
            claim: { at: now, tags: run.tags, workerName: this.name, epoch: run.epoch ?? 0, ...(limit !== undefined ? { deploymentLimit: { deploymentId: deployment.id, limit } } : {}) },
          };
        }),
      );
      for (const [i, { run, deployment }] of batch.entries()) {
        const claim = claims[i]!;
        const limit = deployment.concurrencyLimit;
        // The run as claimed: its process adopts this record, so every event of the run names this worker.
        if (claim === "claimed") this.start({ ...run, workerName: this.name }, deployment);
        else if (claim === "deployment-full") {
          await this.awaitSlot(run, `Deployment ${deployment.name} runs at most ${limit} run${limit === 1 ? "" : "s"} at a time; this one starts when one ends.`);
        } else if (claim === "tags-full") {
          await this.awaitSlot(run, `A concurrency limit of its tags (${run.tags.join(", ")}) is full; it starts when a slot is given back.`);
        }
      }
    }
    this.setTimer(nextDue, now.getTime());
  }

  private setTimer(nextDue: number | undefined, now: number): void {
    this.timer?.abort();
    this.timer = undefined;
    if (nextDue === undefined || this.closed) return;
    const timer = new AbortController();
    this.timer = timer;
    this.options.clock.sleep(nextDue - now, timer.signal).then(
      () => this.wake(),
      () => undefined,
    );
  }

  private start(run: FlowRunRecord, deployment: DeploymentRecord): void {
    const active: ActiveRun = { deploymentId: deployment.id, done: Promise.resolve() };
    this.active.set(run.id, active);
    // Watched from now on (another server on this store must not take it for orphaned): the claim
    // recorded its first heartbeat.
    active.done = this.execute(run, deployment, active)
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.active.delete(run.id);
        // The worker takes tag slots for a run with tags only (startDueRuns).
        if (run.tags.length > 0) void this.options.store.releaseConcurrencySlots(run.id).catch(() => undefined);
        if (this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        this.wake();
      });
  }

  private async execute(run: FlowRunRecord, registered: DeploymentRecord, active: ActiveRun): Promise<void> {
    const { store, hub, clock } = this.options;
    const deployment = this.options.projectDir === undefined ? registered : { ...registered, workDir: this.options.projectDir };
    // Checked again here: the server may have been restarted with other project directories.
    const refused = deploymentCodeProblem(deployment, this.options.workDirRoots);
    if (refused !== undefined) {
      this.finishWithoutRunning(run, "Failed", refused);
      return;
    }
    const { file, exportName } = splitEntrypoint(deployment.entrypoint);
    const absolute = path.resolve(deployment.workDir, file);
    let bundle: string;
    try {
      bundle = await this.bundles.get(absolute, file);
    } catch (error) {
      this.finishWithoutRunning(run, "Failed", (error as Error).message);
      return;
    }
    if (this.closed) return;
    const runEnv = this.options.runEnv();
    const child = this.runners.start(
      {
        type: "start",
        bundle,
        displayFile: file,
        file,
        ...(exportName !== undefined ? { name: exportName } : {}),
        parameters: run.parameters,
        flowRunId: run.id,
        storePath: store.location,
        ...(store.databaseUrl !== undefined ? { databaseUrl: store.databaseUrl } : {}),
        existingRun: run,
        workDir: deployment.workDir,
        env: runEnv,
        heartbeatMs: this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      },
      deployment.isolation ?? "shared",
      {
        onHeartbeat: () => this.recordHeartbeat(run.id),
        onEvent: (event) => {
          if (event.kind === "flow-run") hub.publishFlowRun(event.run);
          else {
            const live = liveEventOf(event);
            if (live) hub.broadcast(live);
          }
        },
      },
    );
    active.child = child;
    if (active.cancelRequested !== undefined) child.cancel(active.cancelRequested);
    const outcome = await child.outcome;
    if (outcome.kind === "usage-error") {
      this.finishWithoutRunning(run, "Failed", outcome.message);
      return;
    }
    // Aborted: the run was ended by someone else, or is a new execution's now; theirs to report.
    if (outcome.kind === "finished" || outcome.kind === "aborted") return;
    await child.reported.writeMissing(store);
    const stored = await store.getFlowRun(run.id);
    if (stored === undefined || (stored.epoch ?? 0) !== (run.epoch ?? 0)) return;
    if (stored.state.type === "COMPLETED" || stored.state.type === "FAILED" || stored.state.type === "CANCELLED" || stored.state.type === "CRASHED") {
      if (stored.state.type === "CRASHED") hub.publishFlowRun(stored);
      return;
    }
    const how = outcome.signal !== null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code ?? "unknown"}`;
    // Several runs may share the process: its death is each one's crash.
    const now = clock.now();
    const crash = crashEnding(stored, outcome.runnerError ?? `The flow run's process ${how} before the run finished.`, now);
    await store.endAbandonedRun(run.id, outcome.ending ?? crash, now);
    const ended = await store.getFlowRun(run.id);
    if (ended) hub.publishFlowRun(ended);
  }

  /**
   * Records a heartbeat for the run, with every other recorded in this turn of the event loop in one
   * write: a runner's heartbeat speaks for each of its runs, and a burst of due runs starts at once.
   */
  private recordHeartbeat(flowRunId: string): void {
    this.heartbeats.add(flowRunId);
    if (this.heartbeats.size > 1) return;
    setImmediate(() => {
      const ids = [...this.heartbeats];
      this.heartbeats.clear();
      this.options.store.recordHeartbeat(ids, this.options.clock.now()).catch(this.options.onError);
    });
  }

  /** A due run that a concurrency limit holds back waits `AwaitingConcurrencySlot` (as in Prefect), recorded once. */
  private async awaitSlot(run: FlowRunRecord, message: string): Promise<void> {
    if (run.state.name === "AwaitingConcurrencySlot") return;
    const state = makeState("AwaitingConcurrencySlot", this.options.clock.now(), message);
    // Only while it still waits: another server's worker may have claimed it since it was read.
    if (await this.options.store.transitionFlowRunIf(run.id, "SCHEDULED", state)) this.options.hub.publishFlowRun({ ...run, state });
  }

  /** Ends a run the worker could not start (bad entrypoint, deployment gone). */
  private finishWithoutRunning(run: FlowRunRecord, name: "Failed", message: string): void {
    const at = this.options.clock.now();
    const state = makeState(name, at, message);
    this.options.store.updateFlowRun(run.id, { state, endTime: at.toISOString() });
    this.options.hub.publishFlowRun({ ...run, state, endTime: at.toISOString() });
  }

  /**
   * A run's heartbeats come from its child's event loop (so a frozen child looks dead); until its
   * child is started (the flow file is being bundled), the worker speaks for it.
   */
  private async beat(): Promise<void> {
    void this.saveRecord();
    const waiting = [...this.active].filter(([, active]) => active.child === undefined).map(([id]) => id);
    if (waiting.length === 0) return;
    try {
      await this.options.store.recordHeartbeat(waiting, this.options.clock.now());
    } catch (error) {
      this.options.onError(error);
    }
  }
}
