/**
 * What code running inside a flow or task can ask about its run. The engine keeps one context per
 * running flow body, task function and hook in AsyncLocalStorage (shared between bundled copies
 * through the runtime globals).
 */
import { TributaryError } from "../errors.js";
import { makeState, type State, type StateName } from "../states.js";
import type { FlowRunRecord, JsonValue, RunFence, RunPatch, TaskRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { RunEventBus } from "./run-events.js";
import { createRunLogger, type RunLogger } from "./run-logger.js";
import { runtimeGlobals } from "./runtime-config.js";
import type { TaskRunHandle } from "./task-run-handle.js";

/** The run a piece of code is executing in. */
export interface RunContext {
  readonly flowRunId: string;
  readonly flowRunName: string;
  readonly flowName: string;
  /**
   * How many times the flow run's body has started, this attempt included: 1 on the first, 2 on its
   * first retry, counting across a retry after a crash or a `flow-run retry` (Prefect's
   * `flow_run.run_count`).
   */
  readonly flowRunCount: number;
  /** Set inside a task function (and its hooks). */
  readonly taskRunId?: string;
  readonly taskRunName?: string;
  readonly taskName?: string;
  /** The parameters of the flow run, as stored. */
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /** Aborted when the run is cancelled or times out; pass it to `fetch` and friends. */
  readonly signal: AbortSignal;
  /** Lines written here are stored with the run. */
  readonly logger: RunLogger;
}

/** The state of one flow run while it executes. */
export class FlowRunScope {
  /** The signal of the current attempt: aborted on cancellation and on the flow's timeout. */
  signal: AbortSignal;
  /** Task runs started and not yet settled, so cancellation can reach them and the flow can wait for them. */
  readonly activeTasks = new Set<TaskRunHandle>();
  /** Subflow runs started and not yet settled. */
  readonly activeSubflows = new Set<Promise<unknown>>();
  /** The keys of the pauses that fired in this run (pauseFlowRun's `key`): each pauses it once. */
  readonly firedPauseKeys = new Set<string>();
  /** pauseFlowRun calls in the current attempt: the default key of a pause is its number. */
  pauseCalls = 0;
  /** What this process's writes to the run and its task runs are fenced by: the execution it was given. */
  readonly fence: RunFence;
  private readonly taskRunCounts = new Map<string, number>();

  constructor(
    readonly record: FlowRunRecord,
    readonly store: Store,
    readonly clock: Clock,
    readonly events: RunEventBus,
    signal: AbortSignal,
  ) {
    this.signal = signal;
    this.fence = { flowRunId: record.id, epoch: record.epoch ?? 0 };
  }

  /** Records a state change of the run: in memory, queued to the store, and as a run event. */
  transition(name: StateName, message: string | undefined, patch: RunPatch): void {
    const state = makeState(name, this.clock.now(), message);
    patch.state = state;
    Object.assign(this.record, patch);
    this.store.updateFlowRun(this.record.id, patch, this.fence);
    if (this.events.size > 0) this.events.emit({ kind: "flow-run", run: { ...this.record } });
  }

  /** Takes a state another process wrote to the store (a resume) as the run's own: no store write. */
  adoptState(state: State): void {
    this.record.state = state;
    if (this.events.size > 0) this.events.emit({ kind: "flow-run", run: { ...this.record } });
  }

  /** `"<taskName>-<n>"`, counting from 0 within this flow run. */
  nextTaskRunName(taskName: string): string {
    const n = this.taskRunCounts.get(taskName) ?? 0;
    this.taskRunCounts.set(taskName, n + 1);
    return `${taskName}-${n}`;
  }
}

/** The value kept in AsyncLocalStorage: a flow run, and the task run when inside one. */
export class ExecutionContext implements RunContext {
  private cachedLogger: RunLogger | undefined;

  constructor(
    readonly scope: FlowRunScope,
    readonly signal: AbortSignal,
    readonly taskRun?: TaskRunRecord,
  ) {}

  get flowRunId(): string {
    return this.scope.record.id;
  }
  get flowRunName(): string {
    return this.scope.record.name;
  }
  get flowName(): string {
    return this.scope.record.flowName;
  }
  get flowRunCount(): number {
    return this.scope.record.runCount;
  }
  get taskRunId(): string | undefined {
    return this.taskRun?.id;
  }
  get taskRunName(): string | undefined {
    return this.taskRun?.name;
  }
  get taskName(): string | undefined {
    return this.taskRun?.taskName;
  }
  get parameters(): Readonly<Record<string, JsonValue>> {
    return this.scope.record.parameters;
  }
  get logger(): RunLogger {
    return (this.cachedLogger ??= createRunLogger(this.scope, this.scope.record.id, this.taskRun?.id));
  }
}

/** The context of the run the caller is in, if any. */
export function currentContext(): ExecutionContext | undefined {
  return runtimeGlobals().context.getStore() as ExecutionContext | undefined;
}

/** Runs `fn` with `context` as the current run context. */
export function runInContext<T>(context: ExecutionContext, fn: () => T): T {
  return runtimeGlobals().context.run(context, fn);
}

/**
 * The run the calling code executes in: ids, names, parameters, the abort signal and a logger.
 * Throws a TributaryError outside a flow run (a task called outside a flow runs untracked).
 *
 * @example
 * const fetchPage = task("fetch-page", async (url: string) => {
 *   const { signal, taskRunName } = getRunContext();
 *   return (await fetch(url, { signal })).text();
 * });
 */
export function getRunContext(): RunContext {
  const context = currentContext();
  if (context === undefined) {
    throw new TributaryError(
      "There is no run context here: getRunContext() works only inside a flow, a task called from a flow, or their hooks.",
      "NO_RUN_CONTEXT",
    );
  }
  return context;
}

/**
 * A logger whose lines are stored with the current flow run or task run and streamed as run events.
 * Throws a TributaryError outside a run.
 *
 * @example
 * const load = task("load", async (rows: Row[]) => {
 *   getRunLogger().info("Loading %d rows", rows.length);
 * });
 */
export function getRunLogger(): RunLogger {
  const context = currentContext();
  if (context === undefined) {
    throw new TributaryError(
      "getRunLogger() was called outside a run: call it inside a flow, a task called from a flow, or their hooks.",
      "NO_RUN_CONTEXT",
    );
  }
  return context.logger;
}
