/**
 * `startServer`: the orchestration server over one store — the JSON API and the live event stream
 * of contract.ts, the scheduler, the worker and the automation engine — listening on loopback
 * unless told otherwise (then only with a token). Used by `tributary server start`, by
 * `tributary run` (an ephemeral server for the life of the command) and by tests.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAutomationEngine } from "../automations/automation-engine.js";
import { checkMaxChainRepeats, DEFAULT_MAX_CHAIN_REPEATS } from "../automations/causal-chain.js";
import { deploymentTriggerAutomations } from "../automations/deployment-triggers.js";
import { systemClock, type Clock } from "../engine/clock.js";
import type { LogLevel } from "../store/records.js";
import type { Store } from "../store/store.js";
import { checkBinding } from "./api-auth.js";
import { buildRoutes } from "./api-routes.js";
import { automationActions, type AutomationActionsPort, type HostedAutomationEngine } from "./automation-host.js";
import { AutomationService } from "./automation-service.js";
import { API_TOKEN_ENV, API_URL_ENV, type FlowRunEventPayload } from "./contract.js";
import { resolveWorkDirRoots } from "./deployment-code.js";
import { DeploymentService } from "./deployment-service.js";
import { EventHub } from "./event-hub.js";
import { EventStreamServer } from "./event-stream-server.js";
import { httpApiHandler } from "./http-api.js";
import { dashboardHandler, isApiRequest } from "./dashboard-http.js";
import { loadDashboardFiles } from "./dashboard-files.js";
import { DashboardSessions } from "./dashboard-sessions.js";
import { requestPolicy, type RequestPolicy } from "./request-guard.js";
import { newServerToken } from "./server-file.js";
import { FlowRunControl } from "./flow-run-control.js";
import { crashOrphanedRuns } from "./orphaned-runs.js";
import { Scheduler } from "./scheduler.js";
import { wakesWorker, Worker } from "./worker.js";
import { EventRelay } from "./event-relay.js";
import { LeaderLock } from "./leader-lock.js";
import type { PostgresStore } from "../store/postgres-store.js";

export interface StartServerOptions {
  /** The store the server keeps everything in; it stays open when the server closes. */
  store: Store;
  /**
   * The address to listen on. Anything but loopback requires `token`.
   * @default "127.0.0.1"
   * @example startServer({ store, host: "0.0.0.0", token: process.env.TRIBUTARY_API_TOKEN })
   */
  host?: string;
  /**
   * The port; 0 lets the OS choose (read it from `url`).
   * @default 4200
   * @example const { url } = await startServer({ store, port: 0 });
   */
  port?: number;
  /**
   * Every request and the WebSocket upgrade must carry `Authorization: Bearer <token>`, on
   * loopback too. Without one the server makes a random token (read it from `token` of the
   * running server); beyond loopback one must be given, since clients elsewhere cannot read it.
   * @default a random token
   * @example startServer({ store, token: process.env.TRIBUTARY_API_TOKEN })
   */
  token?: string;
  /**
   * Web origins besides the server's own that may call the API (requests carrying another
   * `Origin` are refused).
   * @default []
   * @example startServer({ store, allowedOrigins: ["http://localhost:5173"] })
   */
  allowedOrigins?: readonly string[];
  /**
   * The project directories whose code deployments may run: a deployment's `workDir` must be one
   * of them or inside one (deployment-code.ts).
   * @default [process.cwd()]
   * @example startServer({ store, workDirs: ["/home/me/etl", "/home/me/reports"] })
   */
  workDirs?: readonly string[];
  /**
   * The folder of the dashboard's built files (`runtime/dist/dashboard`), served at `/` to a
   * browser signed in with a one-time link (`tributary server open`; contract.ts SignInTicket).
   * Read once at start. Without it the sign-in still works and pages say the files are missing.
   * @default undefined (no dashboard files)
   * @example startServer({ store, dashboardDir: path.join(require.resolve("tributaryjs/package.json"), "../dist/dashboard") })
   */
  dashboardDir?: string;
  /**
   * The largest request body accepted, in bytes (413 beyond it, refused while it streams in).
   * @default 4194304 (4 MiB)
   * @example startServer({ store, maxBodyBytes: 16 * 1024 * 1024 })
   */
  maxBodyBytes?: number;
  /**
   * How many bytes of events may wait for one stream client that does not read before it is
   * dropped.
   * @default 8388608 (8 MiB)
   * @example startServer({ store, maxStreamBufferBytes: 1024 * 1024 })
   */
  maxStreamBufferBytes?: number;
  /**
   * The clock schedules, lateness and automation windows follow.
   * @default the system clock
   * @example startServer({ store, port: 0, clock: new ManualClock() })
   */
  clock?: Clock;
  /**
   * Execute deployment runs: the built child runner and runtime (`runtime/dist/cli/run-child.js`,
   * `runtime/dist/index.js`). Without it runs are created and wait for a worker. `spareRunners`
   * (default 1) runner processes are kept started and idle so a due run starts at once;
   * `heartbeatMs` (default 2000) is how often a run's process sends the heartbeat the worker records
   * (a process silent for `heartbeatTimeoutMs` is killed and its run ends Crashed); `limit` is how
   * many runs it executes at once (default: no limit), as `tributary worker start --limit`.
   * @default undefined (no worker)
   * @example startServer({ store, worker: { runnerFile, runtimeLibrary } })
   */
  worker?: { runnerFile: string; runtimeLibrary: string; heartbeatMs?: number; spareRunners?: number; pools?: readonly string[]; limit?: number };
  /**
   * Create scheduled runs ahead of time and mark late ones.
   * @default true
   * @example startServer({ store, scheduler: { runsAhead: 5, lateAfterMs: 60_000 } })
   */
  scheduler?: boolean | { runsAhead?: number; lateAfterMs?: number };
  /**
   * Builds the automation engine the server feeds with every event (automations/automation-engine.ts).
   * `false` stores automations without evaluating them.
   * @default the automation engine of automations/, on the server's clock
   * The server's own loop guard (`maxChainRepeats`, below) still refuses runs beyond its limit.
   * @example startServer({ store, maxChainRepeats: 5, automationEngine: (actions, clock) => createAutomationEngine({ actions, clock, maxChainRepeats: 5 }) })
   */
  automationEngine?: false | ((actions: AutomationActionsPort, clock: Clock) => HostedAutomationEngine);
  /**
   * The runtime loop guard: how many times one causal chain may visit the same deployment (or
   * automation). A run asked for beyond it — by `runDeployment`, an automation or a deployment
   * trigger — is refused with an event and a log line (`runDeployment` throws a LoopGuardError).
   * @default 3
   * @example startServer({ store, maxChainRepeats: 5 })
   */
  maxChainRepeats?: number;
  /**
   * How often runs whose process is gone, or whose heartbeat stopped, are looked for (and ended
   * Crashed), on `clock`.
   * @default 5000
   * @example startServer({ store, reapIntervalMs: 1000 })
   */
  reapIntervalMs?: number;
  /**
   * A started deployment run whose heartbeat is older than this has crashed: no worker watches it
   * (its server was killed). Checked when the server starts and every `reapIntervalMs`. The worker
   * also kills a run's process that is silent this long. Must be longer than the worker's `heartbeatMs`.
   * @default 10000
   * @example startServer({ store, heartbeatTimeoutMs: 30_000 })
   */
  heartbeatTimeoutMs?: number;
  /**
   * One of several servers on one PostgreSQL database (`tributary server start` on a PostgreSQL
   * store): the stored events the others publish reach this server's stream clients, waits and
   * automations (event-relay.ts, LISTEN/NOTIFY), and only the server holding the leader lock
   * (leader-lock.ts) runs the scheduler and the automation engine; another takes over within
   * `leaderRetryMs` or so of its death. Every server's worker executes due runs (claimed atomically).
   * Needs a PostgreSQL store.
   * @default false (this server alone runs the scheduler and the engine, and hears only its own events)
   * @example startServer({ store: await openPostgresStore(url), cluster: true })
   */
  cluster?: boolean | { leaderRetryMs?: number; reconnectMs?: number };
  /**
   * Where the server's own log lines go.
   * @default stderr
   */
  log?: (level: LogLevel, message: string) => void;
}

const DEFAULT_HEARTBEAT_MS = 2000;
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_STREAM_BUFFER_BYTES = 8 * 1024 * 1024;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export interface RunningServer {
  /** `http://127.0.0.1:4321`. */
  readonly url: string;
  /** The token every request must carry (given, or made by the server). */
  readonly token: string;
  readonly hub: EventHub;
  readonly worker: Worker | undefined;
  /** The scheduler, while this server runs it (with `cluster`, only while it leads). */
  readonly scheduler: Scheduler | undefined;
  /** Whether this server runs the scheduler and the automation engine now (always, without `cluster`). */
  readonly isLeader: boolean;
  /** Resolves when this server leads (`true`) or does not (`false`); at once when that holds now. */
  waitForLeadership(leader: boolean): Promise<void>;
  /** Resolves when the worker executes nothing and the automation engine has acted on every event so far. */
  idle(): Promise<void>;
  /** Stops listening, closes streams, stops the scheduler, kills runs still executing. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const givenToken = options.token === "" ? undefined : options.token;
  checkBinding(host, givenToken);
  const token = givenToken ?? newServerToken();
  const workDirRoots = resolveWorkDirRoots(options.workDirs ?? [process.cwd()]);
  const { store } = options;
  const cluster = options.cluster === undefined || options.cluster === false ? undefined : options.cluster === true ? {} : options.cluster;
  // Duck-typed: the PostgreSQL store is a bundle of its own (open-store.ts), its class not this one's.
  if (cluster !== undefined && !("eventChannel" in store && store.databaseUrl !== undefined)) {
    throw new TypeError(`Expected a PostgreSQL store with \`cluster\` (several servers share a PostgreSQL database), got the store at ${store.location}.`);
  }
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((level, message) => process.stderr.write(`tributary server: ${level}: ${message}\n`));
  const onError = (error: unknown) => log("error", error instanceof Error ? error.message : String(error));

  const hub: EventHub = new EventHub(store, clock, (id): string | undefined => deployments.nameOf(id), onError);
  const maxChainRepeats = checkMaxChainRepeats(options.maxChainRepeats ?? DEFAULT_MAX_CHAIN_REPEATS);
  const deployments: DeploymentService = new DeploymentService(store, hub, clock, workDirRoots, { maxChainRepeats, log });
  await deployments.load();
  const automations = new AutomationService(store, hub, clock);
  const heartbeatMs = options.worker?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  if (!(heartbeatTimeoutMs > heartbeatMs)) {
    throw new TypeError(`Expected \`heartbeatTimeoutMs\` to be longer than the worker's \`heartbeatMs\` (${heartbeatMs}), got \`${heartbeatTimeoutMs}\`.`);
  }
  await crashOrphanedRuns(store, hub, clock, { executedHere: () => false, heartbeatTimeoutMs });

  let url = "";
  const worker = options.worker
    ? new Worker({
        store,
        hub,
        clock,
        runnerFile: options.worker.runnerFile,
        runtimeLibrary: options.worker.runtimeLibrary,
        heartbeatMs,
        heartbeatTimeoutMs,
        ...(options.worker.spareRunners !== undefined ? { spareRunners: options.worker.spareRunners } : {}),
        ...(options.worker.pools !== undefined ? { pools: options.worker.pools } : {}),
        ...(options.worker.limit !== undefined ? { limit: options.worker.limit } : {}),
        identity: { kind: "server" },
        runEnv: () => ({ [API_URL_ENV]: url, [API_TOKEN_ENV]: token }),
        workDirRoots,
        onError,
      })
    : undefined;
  const flowRuns = new FlowRunControl(store, hub, clock, worker, cluster !== undefined);

  const schedulerOptions = options.scheduler === false ? undefined : options.scheduler === true || options.scheduler === undefined ? {} : options.scheduler;
  const newScheduler = () =>
    schedulerOptions
      ? new Scheduler({
          store,
          hub,
          clock,
          deployments,
          isExecuting: (id) => worker?.isExecuting(id) ?? false,
          onRunsCreated: () => worker?.wake(),
          onError,
          ...schedulerOptions,
        })
      : undefined;
  // The scheduler and the automation engine run on the leader only (with `cluster`; else here).
  let scheduler: Scheduler | undefined;
  let engine: HostedAutomationEngine | undefined;
  deployments.onChange(() => {
    scheduler?.wake();
    worker?.wake();
  });
  hub.subscribe((event) => {
    if (wakesWorker(event)) worker?.wake();
  });

  const buildEngine = options.automationEngine ?? ((actions, engineClock) => createAutomationEngine({ actions, clock: engineClock, maxChainRepeats }));
  const automationWork = new Set<Promise<void>>();
  // Deployments' own triggers are automations too (disabled while the deployment is paused).
  const refresh = async () => {
    const current = engine;
    if (current === undefined) return;
    current.setAutomations([...(await store.listAutomations()), ...deploymentTriggerAutomations(await store.listDeployments())]);
  };
  automations.onChange(() => void refresh().catch(onError));
  deployments.onChange(() => void refresh().catch(onError));
  hub.subscribe((event) => {
    if (engine === undefined) return;
    const work = engine.handleEvent(event).catch(onError);
    automationWork.add(work);
    void work.finally(() => automationWork.delete(work));
  });
  let leading = false;
  const leadershipWaiters: { leader: boolean; resolve: () => void }[] = [];
  const leadershipChanged = () => {
    for (const waiter of leadershipWaiters.filter((w) => w.leader === leading)) {
      leadershipWaiters.splice(leadershipWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const lead = async () => {
    if (leading) return;
    leading = true;
    scheduler = newScheduler();
    if (buildEngine !== false) {
      engine = buildEngine(automationActions({ hub, deployments, automations, flowRuns, log }), clock);
      await refresh();
    }
    scheduler?.wake();
    leadershipChanged();
  };
  const stepDown = () => {
    if (!leading) return;
    leading = false;
    scheduler?.close();
    scheduler = undefined;
    engine?.close();
    engine = undefined;
    leadershipChanged();
  };

  let relay: EventRelay | undefined;
  let leaderLock: LeaderLock | undefined;
  if (cluster !== undefined) {
    const pgStore = store as PostgresStore;
    relay = await EventRelay.start({
      store: pgStore,
      hub,
      log,
      ...(cluster.reconnectMs !== undefined ? { reconnectMs: cluster.reconnectMs } : {}),
      // What another server changed: this one's deployment names, schedules and automations follow.
      onRemoteEvent: async (event) => {
        // Another server was asked to cancel a run: this one cancels it if its worker executes it.
        if (event.event === "tributary.flow-run.Cancelling") {
          const { flowRun, state } = event.payload as unknown as FlowRunEventPayload;
          worker?.cancel(flowRun.id, state.message ?? "Cancelled through the API.");
          return;
        }
        const deploymentChanged = event.event.startsWith("tributary.deployment.");
        if (!deploymentChanged && !event.event.startsWith("tributary.automation.")) return;
        if (deploymentChanged) deployments.noteRemoteChange(event);
        else automations.noteRemoteChange(onError);
        // The leader's engine has the change before the next event is relayed.
        await refresh().catch(onError);
      },
    });
    leaderLock = new LeaderLock({
      store: pgStore,
      log,
      ...(cluster.leaderRetryMs !== undefined ? { retryMs: cluster.leaderRetryMs } : {}),
      onChange: (leader) => (leader ? void lead().catch(onError) : stepDown()),
    });
  } else {
    await lead();
  }

  const sessions = new DashboardSessions(clock);
  const routes = buildRoutes({ store, hub, deployments, automations, flowRuns, clock, heartbeatTimeoutMs, sessions, url: () => url });
  // Set once listening: the bound address is known only then (port 0, a host name).
  let policy: RequestPolicy = requestPolicy({ host, port: options.port ?? 4200, token, allowedOrigins: options.allowedOrigins ?? [], sessions });
  const api = httpApiHandler({ routes, store, policy: () => policy, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, onError });
  const dashboardFiles = options.dashboardDir === undefined ? new Map() : loadDashboardFiles(options.dashboardDir, (message) => log("warning", message));
  const pages = dashboardHandler({ policy: () => policy, files: dashboardFiles, dir: options.dashboardDir });
  const server = http.createServer((request, response) => (isApiRequest(request) ? api(request, response) : pages(request, response)));
  const stream = new EventStreamServer({ hub, policy: () => policy, maxBufferedBytes: options.maxStreamBufferBytes ?? DEFAULT_MAX_STREAM_BUFFER_BYTES, log });
  server.on("upgrade", (request: http.IncomingMessage, socket, head: Buffer) => stream.upgrade(request, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4200, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  policy = requestPolicy({ host: address.address, port: address.port, token, allowedOrigins: options.allowedOrigins ?? [], sessions });
  scheduler?.wake();
  worker?.wake();
  await leaderLock?.start();
  // Runs of processes that died while the server runs (a killed `tributary run`, another server
  // on this store killed) end Crashed within seconds.
  const reaper = new AbortController();
  void (async () => {
    const check = { executedHere: (id: string) => worker?.isExecuting(id) ?? false, heartbeatTimeoutMs };
    for (;;) {
      try {
        await clock.sleep(options.reapIntervalMs ?? 5000, reaper.signal);
      } catch {
        return;
      }
      await crashOrphanedRuns(store, hub, clock, check).catch(onError);
    }
  })();

  let closing: Promise<void> | undefined;
  return {
    url,
    token,
    hub,
    worker,
    get scheduler() {
      return scheduler;
    },
    get isLeader() {
      return leading;
    },
    waitForLeadership(leader) {
      if (leading === leader) return Promise.resolve();
      return new Promise((resolve) => leadershipWaiters.push({ leader, resolve }));
    },
    async idle() {
      for (;;) {
        await worker?.idle();
        await Promise.allSettled([...automationWork]);
        await engine?.idle();
        if ((worker?.activeCount ?? 0) === 0 && automationWork.size === 0) return;
      }
    },
    close() {
      closing ??= (async () => {
        reaper.abort();
        await leaderLock?.close();
        stepDown();
        await relay?.close();
        stream.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await worker?.close();
        await store.flush();
      })();
      return closing;
    },
  };
}
