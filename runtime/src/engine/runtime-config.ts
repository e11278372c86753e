/**
 * The one process-wide runtime configuration: which store runs are kept in, which clock the engine
 * waits on, and where run events go. It lives on `globalThis` under a `Symbol.for` key so that two
 * bundled copies of this library in one process (the CLI's and a flow file's) share it, together
 * with the run context storage.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { openSqliteStore } from "../store/sqlite-store.js";
import { resolveStorePath } from "../store/store-path.js";
import type { Store } from "../store/store.js";
import { systemClock, type Clock } from "./clock.js";
import type { ParameterSchema } from "./parameter-schema.js";
import { RunEventBus } from "./run-events.js";

/** What the engine runs against. */
export interface Runtime {
  /** Where runs, states, logs and cache entries are kept. */
  readonly store: Store;
  /** What retry delays, timeouts and back-offs wait on. */
  readonly clock: Clock;
  /** Every state change and log line, as it happens. */
  readonly events: RunEventBus;
}

/** Settings for {@link configureRuntime}; what is left out keeps its current value. */
export interface RuntimeOptions {
  /**
   * The store runs are recorded in.
   * @default the SQLite file at `$TRIBUTARY_HOME/tributary.db`, else `.tributary/tributary.db` in the current directory, opened on first use
   * @example configureRuntime({ store: openSqliteStore("/tmp/runs.db") })
   */
  store?: Store;
  /**
   * The clock retry delays, timeouts and concurrency back-offs wait on.
   * @default the system clock
   * @example configureRuntime({ clock: new ManualClock() })
   */
  clock?: Clock;
  /**
   * The bus that receives a `flow-run` / `task-run` event on every state change and a `log` event on every log line.
   * @default a bus created with the runtime
   * @example const events = new RunEventBus(); events.subscribe(console.log); configureRuntime({ events });
   */
  events?: RunEventBus;
  /**
   * The JSON Schema of flows' parameters, by flow name: a flow with `validateParameters` (the
   * default) fails a run whose parameters do not fit it, naming the parameter. `tributary run`
   * passes the schemas the analysis reads from the flows' types; a process that sets none checks
   * only that parameters are JSON values (the runtime has no TypeScript types to read).
   * @default {} (no schemas)
   * @example configureRuntime({ parameterSchemas: { etl: { type: "object", properties: { day: { type: "string" } }, required: ["day"] } } })
   */
  parameterSchemas?: Record<string, ParameterSchema>;
}

/** A task waiting for a concurrency slot; `wake` hands it a reply to call with whether it got the slot. */
export interface SlotWaiter {
  tags: readonly string[];
  wake: (reply: (acquired: boolean) => void) => void;
}

/** Shared between bundled copies: keep its shape stable. */
export interface RuntimeGlobals {
  config: { store?: Store; clock: Clock; events: RunEventBus; parameterSchemas?: Record<string, ParameterSchema> };
  context: AsyncLocalStorage<unknown>;
  /** Tasks of this process waiting for a concurrency slot (see concurrency-slots.ts). */
  slotWaiters: SlotWaiter[];
  /**
   * Work a run started on its way out (a cancelled run cancelling the runs linked to it) that
   * the process must finish before it exits: the child runner waits for it (whenSettled).
   */
  settling?: Set<Promise<unknown>>;
}

const RUNTIME_KEY = Symbol.for("tributary.runtime");

export function runtimeGlobals(): RuntimeGlobals {
  const holder = globalThis as { [RUNTIME_KEY]?: RuntimeGlobals };
  return (holder[RUNTIME_KEY] ??= {
    config: { clock: systemClock, events: new RunEventBus() },
    context: new AsyncLocalStorage(),
    slotWaiters: [],
  });
}

/**
 * Sets the store, clock or event bus that flows and tasks in this process use.
 *
 * @example
 * configureRuntime({ store: openSqliteStore(path.join(dir, "runs.db")), clock: new ManualClock() });
 */
export function configureRuntime(options: RuntimeOptions): void {
  const { config } = runtimeGlobals();
  if (options.store !== undefined) config.store = options.store;
  if (options.clock !== undefined) config.clock = options.clock;
  if (options.events !== undefined) config.events = options.events;
  if (options.parameterSchemas !== undefined) config.parameterSchemas = options.parameterSchemas;
}

/**
 * The runtime in effect. Reading `store` opens the default SQLite store if none was configured.
 *
 * @example
 * const runs = await getRuntime().store.listFlowRuns({ flowName: "etl", limit: 5 });
 */
export function getRuntime(): Runtime {
  const { config } = runtimeGlobals();
  return {
    get store() {
      return (config.store ??= openSqliteStore(resolveStorePath()));
    },
    clock: config.clock,
    events: config.events,
  };
}

/** The runtime for the engine's own use: the store opened, no getters on the hot path. */
export function engineRuntime(): { store: Store; clock: Clock; events: RunEventBus; parameterSchemas: Record<string, ParameterSchema> | undefined } {
  const { config } = runtimeGlobals();
  const store = (config.store ??= openSqliteStore(resolveStorePath()));
  return { store, clock: config.clock, events: config.events, parameterSchemas: config.parameterSchemas };
}

/** Keeps the process from exiting (in the child runner) until `work` has settled. */
export function keepUntilSettled(work: Promise<unknown>): void {
  const globals = runtimeGlobals();
  const settling = (globals.settling ??= new Set());
  settling.add(work);
  void work.finally(() => settling.delete(work)).catch(() => undefined);
}

/** Resolves when the work handed to keepUntilSettled so far has settled. */
export async function whenSettled(): Promise<void> {
  const settling = runtimeGlobals().settling;
  while (settling !== undefined && settling.size > 0) await Promise.allSettled([...settling]);
}
