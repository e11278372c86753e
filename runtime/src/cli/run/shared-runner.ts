/**
 * The runner the server's worker keeps per project (`run-child.js --shared`): one process executes
 * many deployment runs at once, each in its own run context, so a run starts without paying for a
 * process (orchestrator/runner-pool.ts is the parent's side). A deployment with
 * `isolation: "process"` gets a runner of its own that retires after its one run.
 *
 * The blast radius of a run stays the run. Each run executes inside `currentRun` (AsyncLocalStorage),
 * so whatever its code does outside its promise chain is still known to be its doing:
 * - an error thrown in a callback or timer, or a promise rejected with no handler: the run ends
 *   `Crashed` (its signal aborts with a RunCrashedError; the engine cancels what runs under it);
 * - `process.exit()`: the same — the process lives on;
 * - timers the flow started and left running: cleared when the run ends. Flow bundles call the
 *   timer functions through `runTimersShim` (bundle-flow-file.ts injects it), which ask this
 *   process's hooks; the runtime's own timers are not the flow's and are never touched.
 * What cannot be taken back from a shared process — a flow that blocks the event loop, changes
 * `process.env` or the working directory, or kills the process — reaches the other runs in it: the
 * parent's watchdog then stops the runner and every run in it ends (`isolation: "process"` is for
 * such code). An error outside any run is the runner's own: it exits, and its runs end Crashed.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { configureRuntime, getRuntime, isFlow, runFlowEntrypoint, type Store } from "tributaryjs";
import { CancelledError, isTributaryError, RunCrashedError, toError } from "../../errors.js";
import type { RefusedRun } from "../../store/records.js";
import { describeRefusedRun } from "../../store/refused-runs.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import type { ChildMessage, ParentMessage, SharedRunnerMessage, StartRunMessage } from "./child-protocol.js";
import { describeLoadError } from "./describe-load-error.js";
import { crashRunOfLostWorker } from "../../orchestrator/orphaned-runs.js";
import { EventBatches } from "./event-batches.js";
import { isFlowRunEvent } from "./wire-events.js";
import { openRunStore } from "./run-store.js";
import { listFlowCandidates, selectFlow } from "./select-flow.js";

/** The hooks flow bundles' timer calls go through (see runTimersShim in bundle-flow-file.ts). */
export const RUN_TIMERS_KEY = Symbol.for("tributary.runTimers");

type Handle = NodeJS.Timeout | NodeJS.Immediate;

interface RunSlot {
  readonly flowRunId: string;
  /** The execution of the run this slot executes (FlowRunRecord.epoch): the fence of its writes. */
  readonly epoch: number;
  /** The run's external signal: a cancel request, or a crash (RunCrashedError). */
  readonly controller: AbortController;
  /** The flow's timers still pending, to clear when the run ends. */
  readonly timers: Map<Handle, "timeout" | "immediate">;
  readonly batches: EventBatches;
  /**
   * The run's messages waiting for a PostgreSQL commit (post): later ones queue behind them, so
   * the parent hears of the run in order and of a state only once it is stored.
   */
  outgoing: Promise<void> | undefined;
  crashed: boolean;
  ended: boolean;
  /** Set when the store refused the run's writes: nothing more of it is sent but its `aborted`. */
  refused: RefusedRun | undefined;
}

/** Thrown by `process.exit` inside a run, to stop the code that called it; the run is already crashing. */
class ProcessExitCalled extends Error {
  override name = "ProcessExitCalled";
}

export function startSharedRunner(storePath: string | undefined): void {
  const currentRun = new AsyncLocalStorage<RunSlot>();
  const slots = new Map<string, RunSlot>();
  const exit: (code?: number | string | null) => never = process.exit.bind(process);
  let store: Promise<Store> | undefined;
  let openedStore: Store | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let workDir: string | undefined;
  let retiring = false;
  const loaded = new Map<string, Record<string, unknown>>();
  // A spare opens the server's SQLite store while it waits for its first run.
  const spareStore = storePath !== undefined ? openSqliteStore(storePath) : undefined;

  const send = (message: SharedRunnerMessage): void => {
    if (process.connected) process.send!(message);
  };
  const sendFor = (flowRunId: string, message: ChildMessage): void => send({ type: "run", flowRunId, message });
  /**
   * Sends a run's message; with `commitFirst`, once what the store holds for it is committed.
   * SQLite commits within flush() itself, so its messages go at once; PostgreSQL's commit is a
   * round trip, and the message (and every later one of the run) waits for it.
   */
  const post = (slot: RunSlot, message: ChildMessage, commitFirst = false): void => {
    const stored = openedStore;
    const asynchronous = commitFirst && stored !== undefined && stored.databaseUrl !== undefined;
    // Checked once committed: a state the store refused must not reach anyone as the run's.
    const deliver = () => {
      if (slot.refused === undefined || message.type === "aborted") sendFor(slot.flowRunId, message);
    };
    if (!asynchronous && slot.outgoing === undefined) {
      if (commitFirst) void stored?.flush();
      deliver();
      return;
    }
    const after = (slot.outgoing ?? Promise.resolve())
      .then(() => (commitFirst ? stored?.flush() : undefined))
      .catch(() => undefined)
      .then(() => {
        deliver();
        if (slot.outgoing === after) slot.outgoing = undefined;
      });
    slot.outgoing = after;
  };

  process.on("SIGINT", () => {});
  const receive = (message: ParentMessage): void => {
    if (message.type === "batch") for (const each of message.messages) receive(each);
    else if (message.type === "start") void execute(message);
    else if (message.type === "cancel" && message.flowRunId !== undefined) {
      slots.get(message.flowRunId)?.controller.abort(new CancelledError(message.reason));
    } else if (message.type === "retire") {
      retiring = true;
      void exitWhenIdle();
    }
  };
  process.on("message", receive);
  // The worker went away (killed, say): nobody will see these runs finish.
  process.on("disconnect", () => {
    const at = new Date();
    const stored = openedStore;
    const crashed = stored === undefined ? [] : [...slots.keys()].map((id) => crashRunOfLostWorker(stored, id, at));
    void Promise.allSettled(crashed).then(() => exit(1));
  });
  process.on("uncaughtException", (error) => stray(error, "threw"));
  process.on("unhandledRejection", (reason) => stray(reason, "rejected"));

  /** An error outside every promise chain: the run whose code raised it crashes; with no run, the runner does. */
  function stray(thrown: unknown, how: "threw" | "rejected"): void {
    const slot = currentRun.getStore();
    const error = toError(thrown);
    if (slot === undefined) {
      process.stderr.write(`The shared flow runner failed: ${error.stack ?? error.message}\n`);
      for (const id of slots.keys()) sendFor(id, { type: "runner-error", message: `The flow runner failed outside any run: ${error.message}` });
      exit(1);
      return;
    }
    if (thrown instanceof ProcessExitCalled) return;
    const what =
      how === "threw"
        ? `The flow threw outside its promise chain (in a callback or timer): ${error.name}: ${error.message}`
        : `A promise of the flow was rejected and nothing handled it: ${error.name}: ${error.message}`;
    crash(slot, what, error);
  }

  function crash(slot: RunSlot, message: string, cause?: Error): void {
    if (slot.ended || slot.crashed) return;
    slot.crashed = true;
    slot.controller.abort(new RunCrashedError(message, cause !== undefined ? { cause } : undefined));
  }

  process.exit = ((code?: number | string | null) => {
    const slot = currentRun.getStore();
    if (slot === undefined) return exit(code);
    crash(
      slot,
      `The flow called process.exit(${code === undefined || code === null ? "" : String(code)}); in a runner shared with other runs that ends only this run. ` +
        `Give its deployment \`isolation: "process"\` to run it in a process of its own.`,
    );
    throw new ProcessExitCalled("process.exit() inside a flow run ends the run.");
  }) as typeof process.exit;

  installTimerHooks(currentRun);

  getRuntime().events.subscribe((event) => {
    const slot = currentRun.getStore();
    if (slot !== undefined && !slot.ended) slot.batches.add(event);
  });

  send({ type: "ready" });

  async function execute(start: StartRunMessage): Promise<void> {
    const slot: RunSlot = {
      flowRunId: start.flowRunId,
      epoch: start.existingRun?.epoch ?? 0,
      refused: undefined,
      controller: new AbortController(),
      timers: new Map(),
      crashed: false,
      ended: false,
      batches: new EventBatches((events) => {
        // Whoever hears of a flow run's new state may read it back at once: commit it first.
        post(slot, { type: "events", events }, events.some(isFlowRunEvent));
      }),
      outgoing: undefined,
    };
    slots.set(start.flowRunId, slot);
    try {
      if (heartbeat === undefined && start.heartbeatMs !== undefined) {
        // From this process's own event loop: a run that blocks it silences them, and the parent stops the runner.
        heartbeat = setInterval(() => send({ type: "heartbeat" }), start.heartbeatMs);
        heartbeat.unref();
      }
      if (start.env !== undefined) Object.assign(process.env, start.env);
      if (start.workDir !== undefined && workDir === undefined) {
        workDir = start.workDir;
        process.chdir(workDir);
      }
      let moduleExports: Record<string, unknown>;
      try {
        moduleExports = load(start.bundle);
      } catch (error) {
        post(slot, { type: "usage-error", message: describeLoadError(error, start.file, start.displayFile, process.cwd()) });
        return;
      }
      let selected;
      try {
        selected = selectFlow(listFlowCandidates(moduleExports, isFlow, (flow) => flow.name), start.name, start.displayFile);
      } catch (error) {
        if (!isTributaryError(error, "UsageError")) throw error;
        post(slot, { type: "usage-error", message: error.message });
        return;
      }
      const { timeoutSeconds } = selected.flow.options;
      post(slot, { type: "started", flowName: selected.flowName, exportName: selected.exportName, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) });
      const runStore = await storeFor(start);
      const flow = selected.flow;
      const run = await currentRun.run(slot, () =>
        runFlowEntrypoint(flow, start.parameters, {
          flowRunId: start.flowRunId,
          signal: slot.controller.signal,
          entrypoint: `${start.file}:${selected.exportName}`,
          ...(start.existingRun !== undefined ? { existingRun: start.existingRun } : {}),
        }),
      );
      await runStore.flush();
      slot.batches.flush();
      post(slot, slot.refused !== undefined ? { type: "aborted", message: describeRefusedRun(slot.refused) } : { type: "finished", run });
    } catch (error) {
      slot.batches.flush();
      post(slot, { type: "runner-error", message: `The flow runner failed: ${toError(error).message}` });
    } finally {
      end(slot);
      // Its last messages are out before a retiring runner may exit.
      await slot.outgoing;
      slots.delete(start.flowRunId);
      if (retiring) void exitWhenIdle();
    }
  }

  /** A bundle is loaded once, outside every run: its module-level timers belong to the runner's life, not to the first run's. */
  function load(bundle: string): Record<string, unknown> {
    let moduleExports = loaded.get(bundle);
    if (moduleExports === undefined) {
      moduleExports = createRequire(__filename)(bundle) as Record<string, unknown>;
      loaded.set(bundle, moduleExports);
    }
    return moduleExports;
  }

  function storeFor(start: StartRunMessage): Promise<Store> {
    store ??= (async () => {
      const opened = await openRunStore(start, spareStore !== undefined && storePath !== undefined ? { path: storePath, store: spareStore } : undefined);
      configureRuntime({ store: opened });
      openedStore = opened;
      // The engine stops a run whose writes were refused; this runner stops speaking for it.
      opened.onWritesRefused((refused) => {
        for (const each of refused) {
          const slot = slots.get(each.flowRunId);
          if (slot === undefined || slot.epoch !== each.epoch || slot.refused !== undefined) continue;
          slot.refused = each;
          process.stderr.write(`tributary: ${describeRefusedRun(each)}; this runner stops executing it.\n`);
        }
      });
      return opened;
    })();
    return store;
  }

  /** The run is over: what it left running is cleared, and nothing it does later is forwarded. */
  function end(slot: RunSlot): void {
    slot.ended = true;
    for (const [handle, kind] of slot.timers) {
      if (kind === "immediate") clearImmediate(handle as NodeJS.Immediate);
      else clearTimeout(handle as NodeJS.Timeout);
    }
    slot.timers.clear();
  }

  /** A retired runner (one run's own process, or one that has loaded enough bundles) exits once its runs are over. */
  async function exitWhenIdle(): Promise<void> {
    if (slots.size > 0) return;
    const stored = openedStore ?? spareStore;
    if (stored !== undefined) await stored.close().catch(() => undefined);
    exit(0);
  }
}

type TimerCallback = (...args: unknown[]) => void;

/** The timer functions flow bundles call (through runTimersShim): each remembers the run it was started in. */
function installTimerHooks(currentRun: AsyncLocalStorage<RunSlot>): void {
  const owner = new WeakMap<object, RunSlot>();
  const forget = (handle: unknown): void => {
    if (handle === null || typeof handle !== "object") return;
    owner.get(handle)?.timers.delete(handle as Handle);
    owner.delete(handle);
  };
  /** A timer asked for by a run that has ended never fires. */
  const inert = (): NodeJS.Timeout => setTimeout(() => undefined, 0).unref();
  const hooks = {
    setTimeout(callback: TimerCallback, ms?: number, ...args: unknown[]): NodeJS.Timeout {
      const slot = currentRun.getStore();
      if (slot === undefined) return setTimeout(callback, ms, ...args);
      if (slot.ended) return inert();
      const handle: NodeJS.Timeout = setTimeout(
        (...values: unknown[]) => {
          slot.timers.delete(handle);
          callback(...values);
        },
        ms,
        ...args,
      );
      slot.timers.set(handle, "timeout");
      owner.set(handle, slot);
      return handle;
    },
    setInterval(callback: TimerCallback, ms?: number, ...args: unknown[]): NodeJS.Timeout {
      const slot = currentRun.getStore();
      if (slot === undefined) return setInterval(callback, ms, ...args);
      if (slot.ended) return inert();
      const handle = setInterval(callback, ms, ...args);
      slot.timers.set(handle, "timeout");
      owner.set(handle, slot);
      return handle;
    },
    setImmediate(callback: TimerCallback, ...args: unknown[]): NodeJS.Immediate {
      const slot = currentRun.getStore();
      if (slot === undefined) return setImmediate(callback, ...args);
      const handle: NodeJS.Immediate = setImmediate((...values: unknown[]) => {
        slot.timers.delete(handle);
        if (!slot.ended) callback(...values);
      }, ...args);
      slot.timers.set(handle, "immediate");
      owner.set(handle, slot);
      return handle;
    },
    clearTimeout(handle?: NodeJS.Timeout | string | number) {
      forget(handle);
      clearTimeout(handle);
    },
    clearInterval(handle?: NodeJS.Timeout | string | number) {
      forget(handle);
      clearInterval(handle);
    },
    clearImmediate(handle?: NodeJS.Immediate) {
      forget(handle);
      clearImmediate(handle);
    },
  };
  (globalThis as Record<symbol, unknown>)[RUN_TIMERS_KEY] = hooks;
}
