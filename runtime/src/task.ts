/**
 * `task(name, fn)` / `task(name, options, fn)`: a function whose calls inside a flow are recorded
 * task runs, with retries, timeouts, caching, concurrency limits and futures.
 *
 * A task called outside any flow runs its function directly: no run is recorded, no retries, no
 * cache, no timeout, and `getRunContext()` / `getRunLogger()` throw inside it.
 */
import { InvalidOptionError, TributaryError } from "./errors.js";
import { currentContext, type ExecutionContext } from "./engine/run-context.js";
import type { RunHook } from "./engine/hooks.js";
import { checkFunction, checkName, describeValue, hookList, OptionChecker } from "./engine/option-checks.js";
import type { RetryDelay } from "./engine/retry-delays.js";
import { startTaskRun, type CacheKeyContext, type TaskSpec } from "./engine/task-run.js";
import type { TaskOutcome } from "./engine/task-run-handle.js";
import {
  isAllowFailure,
  isTaskFuture,
  isUnmapped,
  TaskFuture,
  TaskFutureList,
  unmappedValue,
  type AllowFailure,
  type Unmapped,
} from "./futures.js";
import type { State } from "./states.js";
import type { TaskRunRecord } from "./store/records.js";

/** Called with a copy of the task run record and the state it entered. A hook that throws is logged and ignored. */
export type TaskHook = (run: TaskRunRecord, state: State) => void | Promise<void>;

export interface TaskOptions<A extends unknown[] = any[]> {
  /**
   * What the task does.
   * @default undefined
   * @example task("extract", { description: "Reads one batch from the API" }, fetchBatch)
   */
  description?: string;
  /**
   * Tags recorded on each run; tags with a concurrency limit (`tributary concurrency-limit create TAG N`)
   * make the run wait for a slot.
   * @default []
   * @example task("call-api", { tags: ["external-api"] }, callApi)
   */
  tags?: string[];
  /**
   * How many times to re-run the function after it throws or times out.
   * @default 0
   * @example task("extract", { retries: 3 }, fetchBatch)
   */
  retries?: number;
  /**
   * Seconds to wait before each retry: one number, one per retry (the last repeats), or a function
   * of the retry number (1 for the first), such as `exponentialBackoff(2)`.
   * @default 0
   * @example task("extract", { retries: 3, retryDelaySeconds: [1, 10, 60] }, fetchBatch)
   */
  retryDelaySeconds?: RetryDelay;
  /**
   * Spreads retry delays so that runs failing together do not retry together: a delay `d` becomes
   * a random value between `d` and `d × (1 + retryJitterFactor)`.
   * @default 0 (no jitter)
   * @example task("extract", { retries: 3, retryDelaySeconds: 10, retryJitterFactor: 0.5 }, fetchBatch) // 10–15 s
   */
  retryJitterFactor?: number;
  /**
   * Seconds an attempt may take; then it ends `TimedOut` (or is retried) and its signal aborts.
   * @default undefined (no limit)
   * @example task("extract", { timeoutSeconds: 30 }, fetchBatch)
   */
  timeoutSeconds?: number;
  /**
   * Returns the key under which the run's result is cached; a later run with the same key (while the
   * entry lives) skips the function and ends `Cached` with the stored result. Return undefined or
   * null not to cache. Only JSON results are cached.
   * @default undefined (no caching)
   * @example task("geocode", { cacheKey: (_ctx, [address]) => `geocode:${address}` }, geocode)
   */
  cacheKey?: (context: CacheKeyContext, args: A) => string | null | undefined;
  /**
   * How long a cached result stays valid, in seconds. Needs `cacheKey`.
   * @default undefined (forever)
   * @example task("rates", { cacheKey: () => "rates", cacheExpirationSeconds: 3600 }, fetchRates)
   */
  cacheExpirationSeconds?: number;
  /**
   * Called when a run completes (also when it ends Cached).
   * @default []
   * @example task("load", { onCompletion: (run) => metrics.increment(run.taskName) }, load)
   */
  onCompletion?: TaskHook | TaskHook[];
  /**
   * Called when a run ends Failed or TimedOut, after its last retry.
   * @default []
   * @example task("load", { onFailure: (run, state) => alert(state.message) }, load)
   */
  onFailure?: TaskHook | TaskHook[];
}

/** What `waitFor` accepts: futures, `allowFailure(future)`, or lists of them. */
export type WaitForItem = TaskFuture<unknown> | AllowFailure<unknown> | readonly (TaskFuture<unknown> | AllowFailure<unknown>)[];

/** Options of {@link Task.withOptions}: the task's options plus upstream runs to wait for. */
export interface TaskCallOptions<A extends unknown[] = any[]> extends TaskOptions<A> {
  /**
   * Runs that must end before this one starts, without passing their results. If one of them did
   * not complete, this run does not start (it is recorded `NotReady`) unless it is wrapped in `allowFailure`.
   * @default []
   * @example await load.withOptions({ waitFor: [createTable] }).submit(rows)
   */
  waitFor?: readonly WaitForItem[];
}

/**
 * An argument in a call: the value, a future of it, `allowFailure(future)`, or an array or plain
 * object holding futures where values are expected (each is replaced by its result).
 */
export type TaskArg<T> =
  | T
  | TaskFuture<T>
  | AllowFailure<unknown>
  | (T extends readonly (infer E)[]
      ? readonly TaskArg<E>[]
      : T extends Record<string, unknown>
        ? { [K in keyof T]: TaskArg<T[K]> }
        : never);
export type TaskArgs<A extends unknown[]> = { [K in keyof A]: TaskArg<A[K]> };

/** An argument of `.map`: an iterable (one run per element), or a value held constant with `unmapped`. */
export type TaskMapArg<T> = Iterable<T | TaskFuture<T>> | Unmapped<T> | TaskFuture<T> | (T extends Iterable<unknown> ? never : T);
export type TaskMapArgs<A extends unknown[]> = { [K in keyof A]: TaskMapArg<A[K]> };

/** A task: call it (inside a flow) to run it and get its result. */
export interface Task<A extends unknown[] = any[], R = unknown> {
  /** Runs the task and resolves to its result; rejects with a TaskRunError when the run does not complete. */
  (...args: TaskArgs<A>): Promise<R>;
  /** The task's name, as given to `task(name, …)`. */
  readonly name: string;
  /** The options, as given. */
  readonly options: Readonly<TaskCallOptions<A>>;
  /** The undecorated function. */
  readonly fn: (...args: A) => R | PromiseLike<R>;
  /**
   * Starts a run and returns its future at once (inside a flow only).
   * @example const f = extract.submit("batch_1"); …; const rows = await f.result();
   */
  submit(...args: TaskArgs<A>): TaskFuture<R>;
  /**
   * Starts one run per element of the iterable arguments (zipped; all must be as long) and returns
   * their futures. Strings, futures and values wrapped in `unmapped` are passed whole to every run.
   * @example const parts = await extract.map(["a", "b", "c"]).result();
   */
  map(...args: TaskMapArgs<A>): TaskFutureList<R>;
  /**
   * A copy of this task with some options replaced, or with upstreams to wait for.
   * @example await load.withOptions({ retries: 5, waitFor: [createTable] })(rows)
   */
  withOptions(overrides: TaskCallOptions<A>): Task<A, R>;
}

const TASK_OPTION_KEYS = [
  "description",
  "tags",
  "retries",
  "retryDelaySeconds",
  "retryJitterFactor",
  "timeoutSeconds",
  "cacheKey",
  "cacheExpirationSeconds",
  "onCompletion",
  "onFailure",
  "waitFor",
] as const;

/**
 * Defines a task. `fn` takes any arguments; inside a flow, each call is a recorded task run.
 * Futures among the arguments (also inside arrays and plain objects) are waited for and replaced
 * by their results. The result is stored (and can be cached) only when it is a JSON value; the
 * caller always gets the value itself. Called outside any flow, the task runs its function
 * directly and untracked: no run record, retries, timeout, cache or run context.
 *
 * @example
 * export const extract = task("extract", { retries: 3, retryDelaySeconds: exponentialBackoff(2) },
 *   async (batchId: string) => ({ batchId, rows: 100 }));
 */
export function task<A extends unknown[], R>(name: string, fn: (...args: A) => R): Task<A, Awaited<R>>;
export function task<A extends unknown[], R>(name: string, options: TaskCallOptions<A>, fn: (...args: A) => R): Task<A, Awaited<R>>;
export function task(name: string, optionsOrFn: unknown, maybeFn?: unknown): Task {
  const [options, fn] = typeof optionsOrFn === "function" && maybeFn === undefined ? [{}, optionsOrFn] : [optionsOrFn, maybeFn];
  return createTask(name, options, fn);
}

function createTask(name: unknown, options: unknown, fn: unknown): Task {
  checkName("task", name);
  const owner = `task "${name}"`;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`Expected the options of ${owner} to be an object, got ${describeValue(options)}.`);
  }
  checkFunction(owner, fn);
  const given = options as TaskCallOptions;
  const check = new OptionChecker(owner, given as Record<string, unknown>);
  check.onlyKnown(TASK_OPTION_KEYS);
  check.string("description");
  check.tags("tags");
  check.nonNegativeInteger("retries");
  check.retryDelay("retryDelaySeconds");
  check.nonNegativeNumber("retryJitterFactor");
  check.positiveNumber("timeoutSeconds");
  check.function("cacheKey");
  check.positiveNumber("cacheExpirationSeconds");
  if (given.cacheExpirationSeconds !== undefined && given.cacheKey === undefined) {
    throw new InvalidOptionError(`\`cacheExpirationSeconds\` needs \`cacheKey\` — in the options of ${owner}: add a cacheKey function, or drop the expiration.`);
  }
  check.hooks("onCompletion");
  check.hooks("onFailure");
  const waitFor = given.waitFor === undefined ? [] : [...given.waitFor];
  if (given.waitFor !== undefined && (!Array.isArray(given.waitFor) || !waitFor.every(isWaitForItem))) {
    check.fail("waitFor", "an array of task futures (or allowFailure(future))");
  }

  const spec: TaskSpec = {
    name,
    fn: fn as (...args: unknown[]) => unknown,
    tags: [...(given.tags ?? [])],
    retries: given.retries ?? 0,
    retryDelaySeconds: given.retryDelaySeconds,
    retryJitterFactor: given.retryJitterFactor ?? 0,
    timeoutSeconds: given.timeoutSeconds,
    cacheKey: given.cacheKey,
    cacheExpirationSeconds: given.cacheExpirationSeconds,
    onCompletion: hookList<RunHook<TaskRunRecord>>(given.onCompletion),
    onFailure: hookList<RunHook<TaskRunRecord>>(given.onFailure),
    waitFor,
  };

  const call = (...args: unknown[]): Promise<unknown> => {
    const parent = currentContext();
    if (parent === undefined) return runUntracked(spec.fn, args);
    return startTaskRun(parent, spec, args, undefined, false).done.then(unwrap);
  };
  const submit = (...args: unknown[]): TaskFuture => new TaskFuture(startTaskRun(requireFlow(name, "submit"), spec, args, undefined, true));
  const map = (...args: unknown[]): TaskFutureList => mapRuns(requireFlow(name, "map"), spec, args);
  Object.defineProperties(call, {
    name: { value: name },
    options: { value: Object.freeze({ ...given }), enumerable: true },
    fn: { value: fn, enumerable: true },
    submit: { value: submit },
    map: { value: map },
    withOptions: { value: (overrides: TaskCallOptions) => createTask(name, { ...given, ...overrides }, fn) },
  });
  return call as unknown as Task;
}

function unwrap(outcome: TaskOutcome): unknown {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

async function runUntracked(fn: (...args: unknown[]) => unknown, args: unknown[]): Promise<unknown> {
  return fn(...args);
}

function requireFlow(name: string, method: "submit" | "map"): ExecutionContext {
  const parent = currentContext();
  if (parent === undefined) {
    throw new TributaryError(
      `Task "${name}" was ${method === "submit" ? "submitted" : "mapped"} outside a flow run. .submit() and .map() work inside a flow; call the task directly to run its function untracked.`,
      "NO_RUN_CONTEXT",
    );
  }
  return parent;
}

type MapArg = { mapped: true; items: unknown[] } | { mapped: false; value: unknown };

function mapRuns(parent: ExecutionContext, spec: TaskSpec, args: unknown[]): TaskFutureList {
  const normalised: MapArg[] = args.map((arg) => {
    if (isUnmapped(arg)) return { mapped: false, value: unmappedValue(arg) };
    if (typeof arg === "string" || isTaskFuture(arg) || isAllowFailure(arg)) return { mapped: false, value: arg };
    if (typeof arg === "object" && arg !== null && Symbol.iterator in arg) return { mapped: true, items: Array.from(arg as Iterable<unknown>) };
    return { mapped: false, value: arg };
  });
  const lengths = normalised.flatMap((arg, index) => (arg.mapped ? [{ index, length: arg.items.length }] : []));
  if (lengths.length === 0) {
    throw new InvalidOptionError(
      `.map() of task "${spec.name}" needs at least one iterable argument (an array, a Set, a TaskFutureList…); to run it once, call the task instead.`,
    );
  }
  const first = lengths[0]!;
  const mismatch = lengths.find((entry) => entry.length !== first.length);
  if (mismatch !== undefined) {
    throw new InvalidOptionError(
      `.map() of task "${spec.name}" got iterables of different lengths: argument ${first.index + 1} has ${first.length} items, argument ${mismatch.index + 1} has ${mismatch.length}. Wrap arguments meant for every run in unmapped(...).`,
    );
  }
  const list = new TaskFutureList();
  for (let i = 0; i < first.length; i++) {
    const runArgs = normalised.map((arg) => (arg.mapped ? arg.items[i] : arg.value));
    list.push(new TaskFuture(startTaskRun(parent, spec, runArgs, i, true)));
  }
  return list;
}

function isWaitForItem(item: unknown): boolean {
  if (isTaskFuture(item) || isAllowFailure(item)) return true;
  return Array.isArray(item) && item.every((inner) => isTaskFuture(inner) || isAllowFailure(inner));
}
