/**
 * `startServer`: the orchestration server over one store — the JSON API and the live event stream
 * of contract.ts, the scheduler, the worker and the automation engine — listening on loopback
 * unless told otherwise (then only with a token). Used by `tributary server start`, by
 * `tributary run` (an ephemeral server for the life of the command) and by tests.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { createAutomationEngine } from "../automations/automation-engine.js";
import { deploymentTriggerAutomations } from "../automations/deployment-triggers.js";
import { systemClock, type Clock } from "../engine/clock.js";
import type { LogLevel } from "../store/records.js";
import type { Store } from "../store/store.js";
import { ApiError } from "./api-error.js";
import { checkBinding, isAuthorized } from "./api-auth.js";
import { buildRoutes, type Route } from "./api-routes.js";
import { automationActions, type AutomationActionsPort, type HostedAutomationEngine } from "./automation-host.js";
import { AutomationService } from "./automation-service.js";
import { API_TOKEN_ENV, API_URL_ENV, ROUTES } from "./contract.js";
import { DeploymentService } from "./deployment-service.js";
import { EventHub } from "./event-hub.js";
import { FlowRunControl } from "./flow-run-control.js";
import { crashOrphanedRuns } from "./orphaned-runs.js";
import { Scheduler } from "./scheduler.js";
import { Worker } from "./worker.js";

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
   * When set, every request and the WebSocket upgrade must carry `Authorization: Bearer <token>`.
   * @default undefined (no token: loopback only)
   * @example startServer({ store, token: "s3cret" })
   */
  token?: string;
  /**
   * The clock schedules, lateness and automation windows follow.
   * @default the system clock
   * @example startServer({ store, port: 0, clock: new ManualClock() })
   */
  clock?: Clock;
  /**
   * Execute deployment runs: the built child runner and runtime (`dist/cli/run-child.js`,
   * `dist/runtime/index.js`). Without it runs are created and wait for a worker. `spareRunners`
   * (default 1) runner processes are kept started and idle so a due run starts at once;
   * `heartbeatMs` (default 2000) is how often a run's process sends the heartbeat the worker records
   * (a process silent for `heartbeatTimeoutMs` is killed and its run ends Crashed).
   * @default undefined (no worker)
   * @example startServer({ store, worker: { runnerFile, runtimeLibrary } })
   */
  worker?: { runnerFile: string; runtimeLibrary: string; heartbeatMs?: number; spareRunners?: number };
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
   * @example startServer({ store, automationEngine: (actions, clock) => createAutomationEngine({ actions, clock, maxChainRepeats: 5 }) })
   */
  automationEngine?: false | ((actions: AutomationActionsPort, clock: Clock) => HostedAutomationEngine);
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
   * Where the server's own log lines go.
   * @default stderr
   */
  log?: (level: LogLevel, message: string) => void;
}

const DEFAULT_HEARTBEAT_MS = 2000;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export interface RunningServer {
  /** `http://127.0.0.1:4321`. */
  readonly url: string;
  readonly hub: EventHub;
  readonly worker: Worker | undefined;
  readonly scheduler: Scheduler | undefined;
  /** Resolves when the worker executes nothing and the automation engine has acted on every event so far. */
  idle(): Promise<void>;
  /** Stops listening, closes streams, stops the scheduler, kills runs still executing. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token === "" ? undefined : options.token;
  checkBinding(host, token);
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((level, message) => process.stderr.write(`tributary server: ${level}: ${message}\n`));
  const onError = (error: unknown) => log("error", error instanceof Error ? error.message : String(error));

  const hub: EventHub = new EventHub(store, clock, (id): string | undefined => deployments.nameOf(id), onError);
  const deployments: DeploymentService = new DeploymentService(store, hub, clock);
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
        runEnv: () => ({ [API_URL_ENV]: url, ...(token !== undefined ? { [API_TOKEN_ENV]: token } : {}) }),
        onError,
      })
    : undefined;
  const flowRuns = new FlowRunControl(store, hub, clock, worker);

  const schedulerOptions = options.scheduler === false ? undefined : options.scheduler === true || options.scheduler === undefined ? {} : options.scheduler;
  const scheduler = schedulerOptions
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
  deployments.onChange(() => {
    scheduler?.wake();
    worker?.wake();
  });
  // A new Scheduled run (from the API, the scheduler or an automation) wakes the worker.
  hub.subscribe((event) => {
    if (event.event === "tributary.flow-run.Scheduled") worker?.wake();
  });

  const buildEngine = options.automationEngine ?? ((actions, engineClock) => createAutomationEngine({ actions, clock: engineClock }));
  const engine = buildEngine === false ? undefined : buildEngine(automationActions({ hub, deployments, automations, flowRuns, log }), clock);
  const automationWork = new Set<Promise<void>>();
  if (engine) {
    // Deployments' own triggers are automations too (disabled while the deployment is paused).
    const refresh = async () => engine.setAutomations([...(await store.listAutomations()), ...deploymentTriggerAutomations(await store.listDeployments())]);
    await refresh();
    automations.onChange(() => void refresh().catch(onError));
    deployments.onChange(() => void refresh().catch(onError));
    hub.subscribe((event) => {
      const work = engine.handleEvent(event).catch(onError);
      automationWork.add(work);
      void work.finally(() => automationWork.delete(work));
    });
  }

  const routes = buildRoutes({ store, hub, deployments, automations, flowRuns });
  const server = http.createServer((request, response) => void handle(routes, token, request, response, onError));
  const sockets = new WebSocketServer({ noServer: true });
  const streamPath = ROUTES.eventStream.split(" ")[1]!;
  server.on("upgrade", (request, socket, head) => {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    if (pathname !== streamPath || !isAuthorized(request, token)) {
      socket.end(`HTTP/1.1 ${pathname !== streamPath ? "404 Not Found" : "401 Unauthorized"}\r\nConnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit("connection", ws, request));
  });
  // Clients that connected with ?storedOnly=true are not sent broadcast events.
  const storedOnly = new WeakSet<WebSocket>();
  sockets.on("connection", (ws: WebSocket, request: http.IncomingMessage) => {
    if (new URL(request.url ?? "/", "http://localhost").searchParams.get("storedOnly") === "true") storedOnly.add(ws);
  });
  const unsubscribeStream = hub.subscribe(
    (event, stored) => {
      const text = JSON.stringify(event);
      for (const client of sockets.clients as Set<WebSocket>) {
        if (client.readyState === client.OPEN && (stored || !storedOnly.has(client))) client.send(text);
      }
    },
    { broadcasts: true },
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4200, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  scheduler?.wake();
  worker?.wake();
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
    hub,
    worker,
    scheduler,
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
        unsubscribeStream();
        scheduler?.close();
        engine?.close();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await worker?.close();
        await store.flush();
      })();
      return closing;
    },
  };
}

async function handle(routes: Route[], token: string | undefined, request: http.IncomingMessage, response: http.ServerResponse, onError: (e: unknown) => void): Promise<void> {
  try {
    if (!isAuthorized(request, token)) throw new ApiError(401, "UNAUTHORIZED", "This server needs `Authorization: Bearer <token>` (TRIBUTARY_API_TOKEN).");
    const url = new URL(request.url ?? "/", "http://localhost");
    const route = findRoute(routes, request.method ?? "GET", url.pathname);
    const body = request.method === "POST" ? await readJson(request) : undefined;
    const [status, result] = await route.handler({ ...route.match, query: url.searchParams, body });
    send(response, status, result);
  } catch (error) {
    if (error instanceof ApiError) send(response, error.status, { error: { code: error.code, message: error.message } });
    else {
      onError(error);
      send(response, 500, { error: { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) } });
    }
  }
}

function findRoute(routes: Route[], method: string, pathname: string): { handler: Route["handler"]; match: { params: Record<string, string> } } {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
    return { handler: route.handler, match: { params } };
  }
  if (pathMatched) throw new ApiError(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${pathname}.`);
  throw new ApiError(404, "NOT_FOUND", `No route ${method} ${pathname}.`);
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, "BAD_JSON", "The request body is not valid JSON.");
  }
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  response.end(text);
}
