/**
 * The one-run child (`run-child.js`) of `tributary run` and `tributary deploy`: loads the bundled flow file, picks the flow, and runs it
 * with the id the parent chose, forwarding every run event over IPC (in batches, run/event-batches.ts).
 * Forked by child-run.ts.
 *
 * Nothing is written to the store until a flow has been picked, so a file that throws while
 * loading, or a flow name that does not exist, leaves the store as it was.
 */
import { createRequire } from "node:module";
import { configureRuntime, getRuntime, isFlow, runFlowEntrypoint, type Store } from "tributaryjs";
import { CancelledError, isTributaryError, toError, UsageError } from "../../errors.js";
import { describeParameters, schemaProblem } from "../../engine/parameter-schema.js";
import { whenSettled } from "../../engine/runtime-config.js";
import type { JsonValue, RefusedRun } from "../../store/records.js";
import { describeRefusedRun } from "../../store/refused-runs.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { openRunStore } from "./run-store.js";
import type { ChildMessage, CollectDeclarationsMessage, ParentMessage, StartRunMessage } from "./child-protocol.js";
import { collectDeclarations } from "./collect-declarations.js";
import { describeLoadError } from "./describe-load-error.js";
import { crashRunOfLostWorker } from "../../orchestrator/orphaned-runs.js";
import { EventBatches } from "./event-batches.js";
import { isFlowRunEvent } from "./wire-events.js";
import { parseRunParameters } from "./run-parameters.js";
import { listFlowCandidates, selectFlow } from "./select-flow.js";

/** How long a run may take to wind down after the parent went away, before the child just exits. */
const ORPHAN_GRACE_MS = 5000;

const cancellation = new AbortController();
/** Set while a worker's deployment run executes: if the worker goes away, that run has crashed. */
let workerRun: { store: Store; flowRunId: string } | undefined;
/** Whether this process was given its work; a spare runner still waiting has nothing to wind down. */
let started = false;
/** The run's events not sent yet: sent before the message that ends this process. */
let eventBatches: EventBatches | undefined;

let spareStorePath: string | undefined;
let spareStore: Store | undefined;

export function startSingleRunner(storePath: string | undefined): void {
  // A terminal's Ctrl-C reaches the whole process group; the parent decides what it means and tells
  // this process over IPC (cancel first, kill on a second Ctrl-C).
  process.on("SIGINT", () => {});

  process.on("message", (message: ParentMessage) => {
    if (message.type === "start") {
      runFlowFile(message).catch((error: unknown) => {
        exitWith({ type: "runner-error", message: `The flow runner failed: ${toError(error).message}` }, 1);
      });
    }
    else if (message.type === "cancel") cancellation.abort(new CancelledError(message.reason));
    else if (message.type === "collect") {
      started = true;
      collectFrom(message);
    }
  });

  process.on("disconnect", () => {
    if (workerRun !== undefined) {
      // The server's worker died (killed, say): nobody will see this run finish. Crashed (and its
      // event stored) before the process exits: on PostgreSQL that is a round trip to wait for.
      const ended = crashRunOfLostWorker(workerRun.store, workerRun.flowRunId, new Date());
      void ended.finally(() => process.exit(1));
      return;
    }
    if (!started) process.exit(0);
    cancellation.abort(new CancelledError("The tributary command that started this run exited."));
    setTimeout(() => process.exit(1), ORPHAN_GRACE_MS);
  });

  // A spare runner (started before its run is known: `run-child.js --store <path>`) opens the
  // store while it waits, so that a run starts without paying for it.
  spareStorePath = storePath;
  spareStore = storePath !== undefined ? openSqliteStore(storePath) : undefined;

  // Loaded (the runtime, SQLite): a spare runner is now ready to start a run at once.
  send({ type: "ready" });
}

async function runFlowFile(start: StartRunMessage): Promise<void> {
  started = true;
  // From this process's own event loop, so that a flow that blocks it (a CPU-bound loop) goes
  // silent and its parent stops it (child-watchdog.ts).
  if (start.heartbeatMs !== undefined) setInterval(() => send({ type: "heartbeat" }), start.heartbeatMs).unref();
  if (start.env !== undefined) Object.assign(process.env, start.env);
  if (start.workDir !== undefined) process.chdir(start.workDir);
  let moduleExports: Record<string, unknown>;
  try {
    moduleExports = createRequire(__filename)(start.bundle) as Record<string, unknown>;
  } catch (error) {
    return exitWith({ type: "usage-error", message: describeLoadError(error, start.file, start.displayFile, process.cwd()) }, 2);
  }
  let selected;
  try {
    const candidates = listFlowCandidates(moduleExports, isFlow, (flow) => flow.name);
    selected = selectFlow(candidates, start.name, start.displayFile);
  } catch (error) {
    if (isTributaryError(error, "UsageError")) return exitWith({ type: "usage-error", message: error.message }, 2);
    throw error;
  }
  let parameters: Record<string, JsonValue>;
  try {
    parameters = checkedParameters(start, selected.flowName, selected.flow.options.validateParameters !== false);
  } catch (error) {
    if (isTributaryError(error, "UsageError")) return exitWith({ type: "usage-error", message: error.message }, 2);
    throw error;
  }
  // The parent enforces the timeout too (the engine's timer needs this event loop to turn).
  const { timeoutSeconds } = selected.flow.options;
  send({ type: "started", flowName: selected.flowName, exportName: selected.exportName, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) });

  const store = await openRunStore(start, spareStore !== undefined && spareStorePath !== undefined ? { path: spareStorePath, store: spareStore } : undefined);
  spareStore = undefined;
  configureRuntime({ store, ...(start.parameterSchemas !== undefined ? { parameterSchemas: start.parameterSchemas } : {}) });
  // The store refused the run's writes: it was ended by someone else or handed to a new execution.
  // The engine stops it; this process says so once, sends nothing more of it, and exits.
  let refused: RefusedRun | undefined;
  const epoch = start.existingRun?.epoch ?? 0;
  store.onWritesRefused((runs) => {
    const ours = runs.find((each) => each.flowRunId === start.flowRunId && each.epoch === epoch);
    if (ours === undefined || refused !== undefined) return;
    refused = ours;
    process.stderr.write(`tributary: ${describeRefusedRun(ours)}; this process stops executing it.\n`);
  });
  eventBatches = new EventBatches((events) => {
    // Whoever hears of a flow run's new state (the server's clients above all) may read it back at
    // once: commit it first (at most one commit per batch). SQLite commits within flush() itself;
    // PostgreSQL's commit is a round trip, so there the batch may reach the parent a moment before
    // its state is stored (a known gap: awaiting it here would reorder batches; see the issue note).
    if (events.some(isFlowRunEvent)) void store.flush();
    if (refused === undefined) send({ type: "events", events });
  });
  const batches = eventBatches;
  getRuntime().events.subscribe((event) => batches.add(event));
  if (start.existingRun !== undefined) workerRun = { store, flowRunId: start.flowRunId };
  const run = await runFlowEntrypoint(selected.flow, parameters, {
    flowRunId: start.flowRunId,
    signal: cancellation.signal,
    entrypoint: `${start.file}:${selected.exportName}`,
    ...(start.existingRun !== undefined ? { existingRun: start.existingRun } : {}),
  });
  workerRun = undefined;
  // A cancelled run may be cancelling the runs linked to it (runDeployment): let that finish.
  await whenSettled();
  // The run's last events go (committed) before the store closes; none can come after it.
  batches.flush();
  eventBatches = undefined;
  await store.close();
  if (refused !== undefined) return exitWith({ type: "aborted", message: describeRefusedRun(refused) }, 1);
  exitWith({ type: "finished", run }, 0);
}

/**
 * The parameters to run the picked flow with: `tributary run`'s arguments coerced by the flow's
 * schema, and checked against it (unless the flow has `validateParameters: false`). A bad one is
 * bad input: a UsageError naming it, before anything is written.
 */
function checkedParameters(start: StartRunMessage, flowName: string, validate: boolean): Record<string, JsonValue> {
  const schema = start.parameterSchemas?.[flowName];
  const args = start.parameterArgs;
  const parameters = args === undefined ? start.parameters : parseRunParameters(args.paramsJson, args.params, schema);
  const problem = validate && schema !== undefined ? schemaProblem(schema, parameters, flowName) : undefined;
  if (problem !== undefined) {
    throw new UsageError(`${problem} Flow "${flowName}" takes ${describeParameters(schema!)}; pass each as --param name=value.`);
  }
  return parameters;
}

/** Loads the file and reports its deploy(...) and automation(...) declarations; runs no flow. */
function collectFrom(message: CollectDeclarationsMessage): void {
  let moduleExports: Record<string, unknown>;
  try {
    moduleExports = createRequire(__filename)(message.bundle) as Record<string, unknown>;
  } catch (error) {
    return exitWith({ type: "usage-error", message: describeLoadError(error, message.file, message.displayFile, process.cwd()) }, 2);
  }
  exitWith({ type: "declarations", items: collectDeclarations(moduleExports, message.file) }, 0);
}

function send(message: ChildMessage): void {
  if (process.connected) process.send!(message);
}

/** Sends the last message, then exits once it is written (the flow may have left timers running). */
function exitWith(message: ChildMessage, code: number): void {
  if (!process.connected) process.exit(code);
  eventBatches?.flush();
  process.send!(message, undefined, {}, () => process.exit(code));
}
