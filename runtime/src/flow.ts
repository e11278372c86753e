/**
 * `flow(name, fn)` / `flow(name, options, fn)`: a function whose every call is a recorded flow run.
 * Called at top level it runs the flow; called inside another flow (or a task of one) it runs as a
 * subflow linked to its parent.
 */
import { InvalidOptionError } from "./errors.js";
import { currentContext } from "./engine/run-context.js";
import { startFlowRun, type FlowOutcome, type FlowSpec } from "./engine/flow-run.js";
import type { RunHook } from "./engine/hooks.js";
import { checkFunction, checkName, describeValue, hookList, OptionChecker } from "./engine/option-checks.js";
import type { RetryDelay } from "./engine/retry-delays.js";
import { makeFlowRunState, type FlowRunState } from "./engine/run-state.js";
import type { TaskFuture, TaskFutureList } from "./futures.js";
import type { FlowRunRecord } from "./store/records.js";
import type { State } from "./states.js";

/** Called with a copy of the flow run record and the state it entered. A hook that throws is logged and ignored. */
export type FlowHook = (run: FlowRunRecord, state: State) => void | Promise<void>;

export interface FlowOptions {
  /**
   * What the flow does, for people reading run lists.
   * @default undefined
   * @example flow("etl", { description: "Loads yesterday's orders" }, run)
   */
  description?: string;
  /**
   * Tags recorded on every run of the flow (filter runs by them).
   * @default []
   * @example flow("etl", { tags: ["nightly", "warehouse"] }, run)
   */
  tags?: string[];
  /**
   * A version string recorded on each run.
   * @default undefined
   * @example flow("etl", { version: "2024.06.1" }, run)
   */
  version?: string;
  /**
   * How many times to re-run the whole flow body after it fails or times out.
   * @default 0
   * @example flow("etl", { retries: 2, retryDelaySeconds: 60 }, run)
   */
  retries?: number;
  /**
   * Seconds to wait before each retry: one number, one per retry (the last repeats), or a function
   * of the retry number (1 for the first).
   * @default 0
   * @example flow("etl", { retries: 3, retryDelaySeconds: exponentialBackoff(10) }, run)
   */
  retryDelaySeconds?: RetryDelay;
  /**
   * Seconds an attempt may take (including waiting for the tasks it submitted); then the run ends
   * `TimedOut` (or is retried) and its signal aborts.
   * @default undefined (no limit)
   * @example flow("etl", { timeoutSeconds: 3600 }, run)
   */
  timeoutSeconds?: number;
  /**
   * Check parameters before the run starts, as Prefect does on every call: a plain object of JSON
   * values that fits the flow's parameter schema when one is known (`tributary run` reads it from
   * the flow's types; see `configureRuntime({ parameterSchemas })`). A bad one fails the run with a
   * message naming the parameter and the value. When false, nothing is checked: non-JSON values are
   * passed to the function as they are and stored converted through JSON.
   * @default true
   * @example flow("report", { validateParameters: false }, ({ since }: { since: Date }) => build(since))
   */
  validateParameters?: boolean;
  /**
   * Called when a run completes.
   * @default []
   * @example flow("etl", { onCompletion: (run) => notify(`${run.name} done`) }, run)
   */
  onCompletion?: FlowHook | FlowHook[];
  /**
   * Called when a run ends Failed or TimedOut (after its last retry).
   * @default []
   * @example flow("etl", { onFailure: (run, state) => page(`${run.name}: ${state.message}`) }, run)
   */
  onFailure?: FlowHook | FlowHook[];
  /**
   * Called when a run ends Cancelled.
   * @default []
   * @example flow("etl", { onCancellation: (run) => cleanUp(run.id) }, run)
   */
  onCancellation?: FlowHook | FlowHook[];
  /**
   * Called when a run ends Crashed (the engine, not the flow's code, failed).
   * @default []
   * @example flow("etl", { onCrashed: (run, state) => page(state.message) }, run)
   */
  onCrashed?: FlowHook | FlowHook[];
  /**
   * Called each time a run enters Running (its first attempt and every retry).
   * @default []
   * @example flow("etl", { onRunning: (run) => console.log(`started ${run.name}`) }, run)
   */
  onRunning?: FlowHook | FlowHook[];
}

/** Options of {@link Flow.withOptions}: the flow's options plus how a call resolves. */
export interface FlowCallOptions extends FlowOptions {
  /**
   * Resolve a call to the run's final state (`{ type, name, message, flowRunId, result | error }`)
   * instead of its result, and never throw for a failed run.
   * @default false
   * @example const state = await etl.withOptions({ returnState: true })(); if (state.type === "FAILED") …
   */
  returnState?: boolean;
}

/** What a flow call resolves to: futures and states the flow returns are replaced by their results. */
export type FlowResult<R> =
  Awaited<R> extends TaskFutureList<infer U> ? U[] : Awaited<R> extends TaskFuture<infer U> ? U : Awaited<R> extends FlowRunState<infer U> ? U : Awaited<R>;

/** Parameters are optional in a call when every field of them is. */
export type FlowArgs<P> = Record<never, never> extends P ? [parameters?: P] : [parameters: P];

/** The parameters of a flow whose function takes none. */
export type NoParameters = Record<string, never>;

/** A flow: call it to run it. Recognise one with {@link isFlow}. */
export interface Flow<P = any, R = unknown> {
  (...args: FlowArgs<P>): Promise<R>;
  /** The flow's name, as given to `flow(name, …)`. */
  readonly name: string;
  /** The options, as given. */
  readonly options: Readonly<FlowCallOptions>;
  /** The undecorated function: call it to run the body without recording a run (in tests, say). */
  readonly fn: (parameters: P) => unknown;
  /**
   * A copy of this flow with some options replaced.
   * @example const quickEtl = etl.withOptions({ retries: 0, timeoutSeconds: 60 });
   */
  withOptions(overrides: FlowCallOptions & { returnState: true }): Flow<P, FlowRunState<R>>;
  withOptions(overrides: FlowCallOptions): Flow<P, R>;
}

const FLOW_BRAND = Symbol.for("tributary.flow");

const FLOW_OPTION_KEYS = [
  "description",
  "tags",
  "version",
  "retries",
  "retryDelaySeconds",
  "timeoutSeconds",
  "validateParameters",
  "onCompletion",
  "onFailure",
  "onCancellation",
  "onCrashed",
  "onRunning",
  "returnState",
] as const;

/**
 * Defines a flow. `fn` takes zero or one argument: an object of JSON-serialisable parameters.
 * A call resolves to what `fn` returns (futures it returns are resolved), or rejects with a
 * `FlowRunError` when the run fails, times out, crashes or is cancelled.
 *
 * The run fails when `fn` throws or returns a failed future or state (alone or inside an array or
 * plain object); a failed task whose error `fn` caught and did not return does not fail it. Before
 * the run ends it waits for every task it submitted. Its result is stored when it is a JSON value
 * (plain objects, arrays, strings, finite numbers, booleans, null); anything else (a Date, a Map, a
 * class instance, undefined) is returned to the caller but not stored.
 *
 * @example
 * export const etl = flow("etl", { retries: 1, tags: ["nightly"] }, async ({ day = "today" }: { day?: string }) => {
 *   const rows = await extract(day);
 *   return load(rows);
 * });
 * await etl({ day: "2024-06-01" });
 */
export function flow<P = NoParameters, R = unknown>(name: string, fn: (parameters: P) => R): Flow<P, FlowResult<R>>;
export function flow<P = NoParameters, R = unknown>(name: string, options: FlowCallOptions, fn: (parameters: P) => R): Flow<P, FlowResult<R>>;
export function flow(name: string, optionsOrFn: unknown, maybeFn?: unknown): Flow {
  const [options, fn] = typeof optionsOrFn === "function" && maybeFn === undefined ? [{}, optionsOrFn] : [optionsOrFn, maybeFn];
  return createFlow(name, options, fn);
}

function createFlow(name: unknown, options: unknown, fn: unknown): Flow {
  checkName("flow", name);
  const owner = `flow "${name}"`;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`Expected the options of ${owner} to be an object, got ${describeValue(options)}.`);
  }
  checkFunction(owner, fn);
  const given = options as FlowCallOptions;
  const check = new OptionChecker(owner, given as Record<string, unknown>);
  check.onlyKnown(FLOW_OPTION_KEYS);
  check.string("description");
  check.tags("tags");
  check.string("version");
  check.nonNegativeInteger("retries");
  check.retryDelay("retryDelaySeconds");
  check.positiveNumber("timeoutSeconds");
  check.boolean("validateParameters");
  check.boolean("returnState");
  for (const hook of ["onCompletion", "onFailure", "onCancellation", "onCrashed", "onRunning"] as const) check.hooks(hook);

  const spec: FlowSpec = {
    name,
    fn: fn as (parameters: unknown) => unknown,
    version: given.version,
    tags: [...(given.tags ?? [])],
    retries: given.retries ?? 0,
    retryDelaySeconds: given.retryDelaySeconds,
    timeoutSeconds: given.timeoutSeconds,
    validateParameters: given.validateParameters ?? true,
    onCompletion: hookList<RunHook<FlowRunRecord>>(given.onCompletion),
    onFailure: hookList<RunHook<FlowRunRecord>>(given.onFailure),
    onCancellation: hookList<RunHook<FlowRunRecord>>(given.onCancellation),
    onCrashed: hookList<RunHook<FlowRunRecord>>(given.onCrashed),
    onRunning: hookList<RunHook<FlowRunRecord>>(given.onRunning),
  };
  const returnState = given.returnState === true;

  const call = (parameters?: unknown): Promise<unknown> => {
    const parent = currentContext();
    return startFlowRun(spec, parameters, parent === undefined ? {} : { parent }).then((outcome) => settle(outcome, returnState));
  };
  Object.defineProperties(call, {
    name: { value: name },
    options: { value: Object.freeze({ ...given }), enumerable: true },
    fn: { value: fn, enumerable: true },
    withOptions: { value: (overrides: FlowCallOptions) => createFlow(name, { ...given, ...overrides }, fn) },
    [FLOW_BRAND]: { value: spec },
  });
  return call as unknown as Flow;
}

function settle(outcome: FlowOutcome, returnState: boolean): unknown {
  if (returnState) {
    return makeFlowRunState(outcome.record.state, outcome.record.id, outcome.ok ? { value: outcome.value } : { error: outcome.error! });
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Whether `value` is a flow made by `flow(...)`, from this or any other bundled copy of the library. */
export function isFlow(value: unknown): value is Flow {
  return typeof value === "function" && (value as unknown as { [FLOW_BRAND]?: unknown })[FLOW_BRAND] !== undefined;
}

/** @internal The engine's view of a flow. */
export function flowSpec(flow: Flow): FlowSpec {
  return (flow as unknown as { [FLOW_BRAND]: FlowSpec })[FLOW_BRAND];
}
