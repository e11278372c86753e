/**
 * What `tributary run` does beyond running one flow: it gives the run a server to call
 * (runDeployment, waits, events) and makes the run's state changes server events.
 *
 * - A server answers (TRIBUTARY_API_URL, or the one server.json records: the editor's local server
 *   is one): the child is pointed at it and the run's state changes are posted to it, so its
 *   automations see them.
 * - None answers (the embedded default): when the flow file (or a file beside it) declares
 *   deployments or automations, or calls the orchestration API, an ephemeral server is started in
 *   this process on 127.0.0.1 and an OS-chosen port, with a worker and the automation engine; the
 *   command stays until every run it caused has finished.
 *
 * Either way, unless told not to (`--no-register`), the deployments and automations of the file and
 * of the declaring files beside it are registered with that server first, as `tributary deploy`
 * registers them, so a run behaves the same from a terminal and from the editor. One line says what
 * changed; nothing is said when nothing did.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunEvent } from "../../engine/run-events.js";
import { flowRunEvent } from "../../orchestrator/event-hub.js";
import { liveEventOf, runEventOf } from "../../orchestrator/live-events.js";
import { API_TOKEN_ENV, API_URL_ENV } from "../../orchestrator/contract.js";
import { startServer, type RunningServer } from "../../orchestrator/start-server.js";
import { isFinal } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import { openCliStore } from "../open-cli-store.js";
import type { Store } from "../../store/store.js";
import { runChildPath, runtimeLibraryPath, type CliContext } from "../cli-context.js";
import { declaresSomething, declaringFiles } from "../commands/deploy-command.js";
import { connectTo, reachableServer, type ServerConnection } from "../server-connection.js";
import { loadDeclarations, type FileDeclarations } from "./load-declarations.js";
import { registerDeclarations, registrationSummary, type Registration } from "./register-declarations.js";
import type { RunTarget } from "./run-target.js";

/** Calls that need a server while the flow runs. */
const USES_SERVER = /\b(runDeployment|waitForFlowRun|waitForFlow|readFlowRuns|emitEvent|deploy|automation)\s*\(/;

export interface RunOrchestration {
  /** The child's environment: where the server is. */
  readonly env: NodeJS.ProcessEnv;
  /** Feed every run event of the child. */
  onRunEvent(event: RunEvent): void;
  /**
   * Hands `show` the events of the runs the command causes outside its child (deployment runs on
   * the embedded server's worker, runs of automations), as the child's own are shown: the run's
   * live progress covers every run it leads to.
   */
  showCausedRuns(show: (event: RunEvent) => void): void;
  /**
   * Waits until every run caused during the command (embedded server) has finished — runs of the
   * child process `childPid` are over once it is — and returns the ids of the top-level runs
   * besides `mainRunId` (runs of deployments and automations).
   */
  settle(mainRunId: string, childPid: number | undefined): Promise<string[]>;
  close(): Promise<void>;
}

export interface RunOrchestrationOptions {
  /** Register the declarations of the file and the files beside it with the server (default of `tributary run`; `--no-register` turns it off). */
  register: boolean;
  /** Where the one-line summary of a registration that changed something goes. */
  notices: { write(text: string): unknown };
}

export async function prepareRunOrchestration(ctx: CliContext, target: RunTarget, options: RunOrchestrationOptions): Promise<RunOrchestration | undefined> {
  const remote = await reachableServer(ctx);
  const dir = path.dirname(target.file);
  const text = readFileSync(target.file, "utf8");
  const siblings = declaringFiles(dir).map((name) => path.join(dir, name));
  if (!remote && !siblings.includes(target.file) && !USES_SERVER.test(text)) return undefined;
  // The file itself also when it declares through a module re-exporting tributaryjs.
  const files = [...new Set([...(declaresSomething(text) ? [target.file] : []), ...siblings])];
  const loaded = options.register ? await loadFolderDeclarations(ctx, files) : { deployments: [], automations: [] };
  const announce = (registration: Registration, where: string) => {
    const summary = registrationSummary(registration, where);
    if (summary !== undefined) options.notices.write(`${summary}\n`);
  };
  if (remote) {
    if (loaded.deployments.length + loaded.automations.length > 0) announce(await registerDeclarations(remote, loaded), `the server at ${remote.url}`);
    return forwardingTo(ctx, remote);
  }
  return embedded(ctx, loaded, announce);
}

/**
 * The declarations of `files` (the run's file first, then the declaring files beside it), each
 * file's own (not those of the modules it imports: a deployment belongs to the file that declares
 * it), the first file's when two declare one name. Every file is loaded before anything is
 * written: a bad one is bad input.
 */
async function loadFolderDeclarations(ctx: CliContext, files: readonly string[]): Promise<FileDeclarations> {
  const found = await Promise.all(files.map((file) => loadDeclarations(ctx, { file, displayFile: path.relative(ctx.cwd, file) || file })));
  const loaded: FileDeclarations = { deployments: [], automations: [] };
  for (const declarations of found) {
    loaded.deployments.push(...declarations.deployments.filter((d) => !loaded.deployments.some((o) => o.name === d.name)));
    loaded.automations.push(...declarations.automations.filter((a) => !loaded.automations.some((o) => o.name === a.name)));
  }
  return loaded;
}

function forwardingTo(ctx: CliContext, server: ServerConnection): RunOrchestration {
  // Flow-run changes are stored events; task-run changes and log lines are only broadcast. They
  // go in the order they happened: each batch is one run of the same route.
  let queue: { route: string; events: unknown[] }[] = [];
  let sending: Promise<void> = Promise.resolve();
  const flush = () => {
    const batches = queue;
    queue = [];
    for (const batch of batches) {
      sending = sending
        .then(() => server.request("POST", batch.route, batch.events))
        .then(
          () => undefined,
          (error: unknown) => void ctx.stderr.write(`tributary: could not send run events to ${server.url}: ${(error as Error).message}\n`),
        );
    }
  };
  const enqueue = (route: string, event: unknown) => {
    if (queue.length === 0) setImmediate(flush);
    const last = queue.at(-1);
    if (last?.route === route) last.events.push(event);
    else queue.push({ route, events: [event] });
  };
  return {
    env: { ...ctx.env, [API_URL_ENV]: server.url, ...(server.token ? { [API_TOKEN_ENV]: server.token } : {}) },
    onRunEvent(event) {
      if (event.kind === "flow-run") return enqueue("/api/events", flowRunEvent(event.run));
      const live = liveEventOf(event);
      if (live) enqueue("/api/events/broadcast", live);
    },
    // A server of its own runs the runs this command causes; its clients (the editor, `flow-run
    // logs`) show them.
    showCausedRuns: () => undefined,
    async settle() {
      await sending;
      return [];
    },
    close: async () => undefined,
  };
}

async function embedded(
  ctx: CliContext,
  loaded: FileDeclarations,
  announce: (registration: Registration, where: string) => void,
): Promise<RunOrchestration> {
  const store: Store = await openCliStore(ctx);
  let server: RunningServer;
  try {
    server = await startServer({
      store,
      port: 0,
      scheduler: false,
      // The command runs the files it was given: their projects' code may run, as the cwd's may.
      workDirs: [ctx.cwd, ...loaded.deployments.map((d) => d.workDir)],
      // No spare runner: most commands run no deployment, and a spare costs a node start (~0.35 CPU-s).
      worker: { runnerFile: runChildPath(ctx), runtimeLibrary: runtimeLibraryPath(ctx), spareRunners: 0 },
      log: (level, message) => ctx.stderr.write(`tributary: ${level}: ${message}\n`),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  // Every run the server hears of during the command is one this command caused.
  const runs = new Map<string, { final: boolean; parent?: string; pid?: number }>();
  const waiters: (() => void)[] = [];
  const allFinal = () => [...runs.values()].every((run) => run.final);
  server.hub.subscribe((event) => {
    const run = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
    if (!event.event.startsWith("tributary.flow-run.") || run === undefined) return;
    runs.set(run.id, {
      final: isFinal(run.state),
      ...(run.parentFlowRunId !== undefined ? { parent: run.parentFlowRunId } : {}),
      ...(run.pid !== undefined ? { pid: run.pid } : {}),
    });
    if (allFinal()) for (const resolve of waiters.splice(0)) resolve();
  });
  if (loaded.deployments.length + loaded.automations.length > 0) {
    try {
      announce(await registerDeclarations(connectTo(server.url, server.token), loaded), `the store at ${store.location}`);
    } catch (error) {
      // Nothing ran: the server and store must not keep the command alive.
      await server.close();
      await store.close();
      throw error;
    }
  }
  // The child's own flow runs: their events reach the hub through onRunEvent, and are shown already.
  const ownRuns = new Set<string>();
  return {
    env: { ...ctx.env, [API_URL_ENV]: server.url, [API_TOKEN_ENV]: server.token },
    onRunEvent(event) {
      if (event.kind === "flow-run") ownRuns.add(event.run.id);
      if (event.kind === "flow-run") return void server.hub.publishFlowRun(event.run);
      const live = liveEventOf(event);
      if (live) server.hub.broadcast(live);
    },
    showCausedRuns(show) {
      server.hub.subscribe(
        (hubEvent) => {
          const event = runEventOf(hubEvent);
          if (event === undefined) return;
          const flowRunId = event.kind === "flow-run" ? event.run.id : event.kind === "task-run" ? event.run.flowRunId : event.log.flowRunId;
          if (!ownRuns.has(flowRunId)) show(event);
        },
        { broadcasts: true },
      );
    },
    async settle(mainRunId, childPid) {
      for (const run of runs.values()) if (run.pid === childPid) run.final = true;
      for (;;) {
        if (!allFinal()) await new Promise<void>((resolve) => waiters.push(resolve));
        await server.idle();
        if (allFinal()) break;
      }
      return [...runs].filter(([id, run]) => id !== mainRunId && (run.parent === undefined || !runs.has(run.parent))).map(([id]) => id);
    },
    async close() {
      await server.close();
      await store.close();
    },
  };
}
