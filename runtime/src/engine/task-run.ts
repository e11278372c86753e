/**
 * One task run inside a flow run: Pending → (NotReady | Cached | Running) → Completed / Failed /
 * TimedOut / Cancelled, with AwaitingRetry → Retrying between attempts. Every transition is queued
 * in the store and emitted as a `task-run` event.
 *
 * The path of a plain task (no upstreams, cache, tags, timeout or retries taken) is kept lean: three
 * queued writes, no store reads, no timers, one ALS context.
 */
import { newRunId } from "../store/run-ids.js";
import { CancelledError, RunTimeoutError, TaskRunError, toError } from "../errors.js";
import { makeState, type StateName } from "../states.js";
import type { JsonValue, RunPatch, TaskRunRecord } from "../store/records.js";
import { acquireConcurrencySlots, releaseConcurrencySlots } from "./concurrency-slots.js";
import { runHooks, type RunHook } from "./hooks.js";
import { onAbort } from "./on-abort.js";
import { projectionLogLines, storedResult } from "./stored-result.js";
import { retryDelayMs, type RetryDelay } from "./retry-delays.js";
import { ExecutionContext, runInContext, type FlowRunScope } from "./run-context.js";
import { TaskRunHandle, type TaskOutcome } from "./task-run-handle.js";
import { collectUpstreams, resolveArguments, type Upstreams } from "./upstreams.js";

/** What `cacheKey` receives besides the task's arguments. */
export interface CacheKeyContext {
  taskName: string;
  flowName: string;
  flowRunId: string;
  /** The parameters of the flow run the task runs in. */
  parameters: Readonly<Record<string, JsonValue>>;
}

/** A task's options as the engine uses them: validated, with defaults filled in. */
export interface TaskSpec {
  name: string;
  fn: (...args: any[]) => unknown;
  tags: readonly string[];
  retries: number;
  retryDelaySeconds: RetryDelay | undefined;
  retryJitterFactor: number;
  timeoutSeconds: number | undefined;
  cacheKey: ((context: CacheKeyContext, args: any[]) => string | null | undefined) | undefined;
  cacheExpirationSeconds: number | undefined;
  onCompletion: readonly RunHook<TaskRunRecord>[];
  onFailure: readonly RunHook<TaskRunRecord>[];
  waitFor: readonly unknown[];
}

/** Timeouts raised by the engine's own timer, told apart from a RunTimeoutError the user threw. */
const engineTimeouts = new WeakSet<Error>();

/**
 * Creates the task run (synchronously, so its id is known at once) and starts it.
 * `deferStart` lets `.submit` return before any of the task's code runs.
 */
export function startTaskRun(
  parent: ExecutionContext,
  spec: TaskSpec,
  args: readonly unknown[],
  mapIndex: number | undefined,
  deferStart: boolean,
): TaskRunHandle {
  const scope = parent.scope;
  const upstreams = collectUpstreams(args, spec.waitFor);
  const createdAt = scope.clock.now().toISOString();
  const record: TaskRunRecord = {
    id: newRunId(),
    flowRunId: scope.record.id,
    name: scope.nextTaskRunName(spec.name),
    taskName: spec.name,
    state: { type: "PENDING", name: "Pending", timestamp: createdAt },
    attempts: 0,
    tags: spec.tags as string[],
    upstreamTaskRunIds: upstreams === undefined ? [] : upstreams.handles.map((h) => h.record.id),
    createdAt,
  };
  if (mapIndex !== undefined) record.mapIndex = mapIndex;
  scope.store.createTaskRun(record);
  if (scope.events.size > 0) scope.events.emit({ kind: "task-run", run: { ...record } });
  const handle = new TaskRunHandle(record);
  scope.activeTasks.add(handle);
  handle.done = executeTaskRun(handle, parent, spec, args, upstreams, deferStart);
  return handle;
}

async function executeTaskRun(
  handle: TaskRunHandle,
  parent: ExecutionContext,
  spec: TaskSpec,
  args: readonly unknown[],
  upstreams: Upstreams | undefined,
  deferStart: boolean,
): Promise<TaskOutcome> {
  const scope = parent.scope;
  let outcome: TaskOutcome;
  try {
    if (deferStart) await Promise.resolve();
    outcome = await prepareAndRun(handle, parent, spec, args, upstreams);
  } catch (thrown) {
    const cancelledBy = handle.interruptReason ?? (parent.signal.aborted ? cancellationReason(parent.signal) : undefined);
    outcome = cancelledBy !== undefined ? await endCancelled(handle, parent, cancelledBy) : endCrashed(handle, parent, thrown);
  } finally {
    if (spec.tags.length > 0) await releaseSlotsQuietly(handle, parent, spec.tags);
  }
  handle.outcome = outcome;
  scope.activeTasks.delete(handle);
  return outcome;
}

async function prepareAndRun(
  handle: TaskRunHandle,
  parent: ExecutionContext,
  spec: TaskSpec,
  args: readonly unknown[],
  upstreams: Upstreams | undefined,
): Promise<TaskOutcome> {
  const scope = parent.scope;
  const record = handle.record;
  let callArgs = args as unknown[];
  if (upstreams !== undefined) {
    await handle.race(Promise.all(upstreams.handles.map((h) => h.done)));
    for (const upstream of upstreams.handles) {
      if (upstreams.required.has(upstream) && !upstream.outcome!.ok) return endNotReady(handle, parent, upstream);
    }
    callArgs = resolveArguments(args);
  }
  if (parent.signal.aborted) throw handle.interruptReason ?? cancellationReason(parent.signal);

  let cacheKey: string | undefined;
  if (spec.cacheKey !== undefined) {
    try {
      const key = spec.cacheKey(
        { taskName: spec.name, flowName: scope.record.flowName, flowRunId: scope.record.id, parameters: scope.record.parameters },
        callArgs,
      );
      if (typeof key === "string" && key !== "") cacheKey = key;
    } catch (thrown) {
      return endFailed(handle, parent, spec, "Failed", toError(thrown), "`cacheKey` threw");
    }
    if (cacheKey !== undefined) {
      const entry = await handle.race(scope.store.readCache(cacheKey, scope.clock.now()));
      if (entry !== undefined) {
        const at = scope.clock.now();
        transition(scope, record, "Cached", at, `Cached result of task run ${entry.taskRunId}.`, {
          result: entry.result,
          endTime: at.toISOString(),
        });
        await runTaskHooks(spec.onCompletion, "onCompletion", handle, parent);
        return { ok: true, value: entry.result, state: record.state };
      }
    }
  }

  if (spec.tags.length > 0) {
    await acquireConcurrencySlots(scope, handle, spec.tags, parent.signal, () => {
      const waiting = `Waiting for a concurrency slot (tags: ${spec.tags.join(", ")}).`;
      transition(scope, record, "AwaitingConcurrencySlot", scope.clock.now(), waiting, {});
      taskLogger(handle, parent).info(waiting);
    });
  }
  return runAttempts(handle, parent, spec, callArgs, cacheKey);
}

async function runAttempts(
  handle: TaskRunHandle,
  parent: ExecutionContext,
  spec: TaskSpec,
  args: unknown[],
  cacheKey: string | undefined,
): Promise<TaskOutcome> {
  const scope = parent.scope;
  const record = handle.record;
  for (;;) {
    const attempts = record.attempts + 1;
    const at = scope.clock.now();
    if (attempts === 1) transition(scope, record, "Running", at, undefined, { attempts, startTime: at.toISOString() });
    else transition(scope, record, "Retrying", at, undefined, { attempts });

    let value: unknown;
    try {
      value = await invoke(handle, parent, spec, args);
    } catch (thrown) {
      if (handle.interruptReason !== undefined) throw handle.interruptReason;
      const error = toError(thrown);
      const stateName: StateName = engineTimeouts.has(error) ? "TimedOut" : "Failed";
      if (attempts > spec.retries) return endFailed(handle, parent, spec, stateName, error);
      let delayMs: number;
      try {
        delayMs = retryDelayMs(spec.retryDelaySeconds, attempts, spec.retryJitterFactor);
      } catch (delayError) {
        return endFailed(handle, parent, spec, "Failed", toError(delayError), "the retry delay could not be computed");
      }
      const message = `Retry ${attempts} of ${spec.retries} in ${delayMs / 1000} s after: ${error.message}`;
      transition(scope, record, "AwaitingRetry", scope.clock.now(), message, {});
      taskLogger(handle, parent).warning(`${stateName === "TimedOut" ? "Timed out" : "Failed"}: ${error.message}. ${message.split(" after:")[0]}.`);
      if (delayMs > 0) await handle.race(scope.clock.sleep(delayMs, parent.signal));
      continue;
    }

    const end = scope.clock.now();
    const patch: RunPatch = { endTime: end.toISOString() };
    const stored = storedResult(value);
    if (stored.value !== undefined) patch.result = stored.value;
    if (stored.projections.length > 0) {
      const logger = taskLogger(handle, parent);
      for (const line of projectionLogLines(`task run "${record.name}"`, stored.projections)) logger.warning(line);
    }
    transition(scope, record, "Completed", end, undefined, patch);
    // A cache hit returns what is stored, so only a result JSON holds as it is may be cached.
    if (cacheKey !== undefined && stored.value !== undefined && stored.projections.length === 0) {
      scope.store.writeCache({
        key: cacheKey,
        result: stored.value,
        taskRunId: record.id,
        ...(spec.cacheExpirationSeconds !== undefined
          ? { expiresAt: new Date(end.getTime() + spec.cacheExpirationSeconds * 1000).toISOString() }
          : {}),
      });
    }
    if (spec.onCompletion.length > 0) await runTaskHooks(spec.onCompletion, "onCompletion", handle, parent);
    return { ok: true, value, state: record.state };
  }
}

/** Calls the task function in its own context; with a timeout, races it against the clock. */
function invoke(handle: TaskRunHandle, parent: ExecutionContext, spec: TaskSpec, args: unknown[]): unknown {
  if (spec.timeoutSeconds !== undefined) return invokeWithTimeout(handle, parent, spec, args, spec.timeoutSeconds);
  const context = new ExecutionContext(parent.scope, parent.signal, handle.record);
  const result = runInContext(context, () => spec.fn(...args));
  return isPromiseLike(result) ? handle.race(result) : result;
}

async function invokeWithTimeout(
  handle: TaskRunHandle,
  parent: ExecutionContext,
  spec: TaskSpec,
  args: unknown[],
  timeoutSeconds: number,
): Promise<unknown> {
  const scope = parent.scope;
  const controller = new AbortController();
  // onAbort: 1,000 tasks with a timeout fanned out are one listener on the flow's signal, not 1,000.
  const stopListening = onAbort(parent.signal, () => controller.abort(parent.signal.reason));
  const timer = new AbortController();
  try {
    const context = new ExecutionContext(scope, controller.signal, handle.record);
    const result = Promise.resolve(runInContext(context, () => spec.fn(...args)));
    const timeout = scope.clock.sleep(timeoutSeconds * 1000, timer.signal).then(() => {
      const error = new RunTimeoutError(`Task run '${handle.record.name}' timed out after ${timeoutSeconds} s.`);
      engineTimeouts.add(error);
      controller.abort(error);
      throw error;
    });
    return await handle.race(Promise.race([result, timeout]));
  } finally {
    timer.abort();
    stopListening();
  }
}

async function endFailed(
  handle: TaskRunHandle,
  parent: ExecutionContext,
  spec: TaskSpec,
  stateName: StateName,
  error: Error,
  during?: string,
): Promise<TaskOutcome> {
  const scope = parent.scope;
  const record = handle.record;
  const at = scope.clock.now();
  const message = during === undefined ? error.message : `${during}: ${error.message}`;
  transition(scope, record, stateName, at, message, { endTime: at.toISOString() });
  taskLogger(handle, parent).error(
    stateName === "TimedOut" ? `Timed out: ${error.message}` : `Failed: ${during === undefined ? "" : `${during}: `}${error.stack ?? error.message}`,
  );
  if (spec.onFailure.length > 0) await runTaskHooks(spec.onFailure, "onFailure", handle, parent);
  const runError = new TaskRunError(`Task run '${record.name}' ${stateName === "TimedOut" ? "timed out" : "failed"}: ${message}`, record.id, stateName, {
    cause: error,
  });
  return { ok: false, error: runError, cause: error, state: record.state };
}

function endNotReady(handle: TaskRunHandle, parent: ExecutionContext, upstream: TaskRunHandle): TaskOutcome {
  const record = handle.record;
  const upstreamRecord = upstream.record;
  const message = `Upstream task run '${upstreamRecord.name}' did not complete (${upstreamRecord.state.name}), so this run did not start.`;
  transition(parent.scope, record, "NotReady", parent.scope.clock.now(), message, {});
  taskLogger(handle, parent).warning(message);
  const error = new TaskRunError(`Task run '${record.name}' did not run: upstream task run '${upstreamRecord.name}' ended ${upstreamRecord.state.name}.`, record.id, "NotReady", {
    cause: upstream.outcome?.error,
  });
  return { ok: false, error, state: record.state };
}

async function endCancelled(handle: TaskRunHandle, parent: ExecutionContext, reason: Error): Promise<TaskOutcome> {
  const record = handle.record;
  const at = parent.scope.clock.now();
  transition(parent.scope, record, "Cancelled", at, reason.message, { endTime: at.toISOString() });
  const error = new TaskRunError(`Task run '${record.name}' was cancelled: ${reason.message}`, record.id, "Cancelled", { cause: reason });
  return { ok: false, error, cause: reason, state: record.state };
}

/** The engine itself failed (the store threw, …): record Crashed as well as we can. */
function endCrashed(handle: TaskRunHandle, parent: ExecutionContext, thrown: unknown): TaskOutcome {
  const record = handle.record;
  const error = toError(thrown);
  const message = `The engine failed while running this task: ${error.message}`;
  try {
    const at = parent.scope.clock.now();
    transition(parent.scope, record, "Crashed", at, message, { endTime: at.toISOString() });
  } catch {
    record.state = makeState("Crashed", new Date(), message);
  }
  return { ok: false, error: new TaskRunError(`Task run '${record.name}' crashed: ${message}`, record.id, "Crashed", { cause: error }), cause: error, state: record.state };
}

async function releaseSlotsQuietly(handle: TaskRunHandle, parent: ExecutionContext, tags: readonly string[]): Promise<void> {
  try {
    await releaseConcurrencySlots(parent.scope, handle.record.id, tags);
  } catch (thrown) {
    taskLogger(handle, parent).error(`Could not release concurrency slots: ${toError(thrown).message}`);
  }
}

function runTaskHooks(hooks: readonly RunHook<TaskRunRecord>[], hookName: string, handle: TaskRunHandle, parent: ExecutionContext): Promise<void> {
  return runHooks(hooks, hookName, handle.record, new ExecutionContext(parent.scope, parent.signal, handle.record));
}

function taskLogger(handle: TaskRunHandle, parent: ExecutionContext) {
  return new ExecutionContext(parent.scope, parent.signal, handle.record).logger;
}

/** Enters a state: updates the record, queues the write, emits the event. */
function transition(scope: FlowRunScope, record: TaskRunRecord, name: StateName, at: Date, message: string | undefined, patch: RunPatch): void {
  const state = makeState(name, at, message);
  patch.state = state;
  Object.assign(record, patch);
  scope.store.updateTaskRun(record.id, patch, scope.fence);
  if (scope.events.size > 0) scope.events.emit({ kind: "task-run", run: { ...record } });
}

/** Why a task stops because its flow's signal aborted: the flow was cancelled or timed out. */
function cancellationReason(signal: AbortSignal): Error {
  const reason = toError(signal.reason);
  return reason.name === "RunTimeoutError" ? new CancelledError(`The flow run timed out: ${reason.message}`) : reason;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
