/**
 * A small HTTP + WebSocket server speaking contract.ts for the deployment-run and flow-run routes,
 * for client tests that need to steer a run's states by hand. It keeps runs in memory and publishes
 * a `tributary.flow-run.<State>` event on every change, as the real server does.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import type { CausalLink, CreateDeploymentRunRequest, TributaryEvent } from "../../orchestrator/contract.js";
import { makeState, type StateName } from "../../states.js";
import type { FlowRunRecord, JsonValue } from "../../store/records.js";

export interface FakeDeployment {
  /** `"<flow>/<name>"`. */
  name: string;
  /** The parameters the flow takes; others are refused with 422. */
  parameters: string[];
}

export interface FakeApiServer {
  url: string;
  runs: Map<string, FlowRunRecord & { chain: CausalLink[]; deploymentName: string }>;
  requests: { method: string; path: string; body: unknown }[];
  /** Resolves with the next run created. */
  nextRun(): Promise<FlowRunRecord>;
  /** Called with each new run before the answer is sent. */
  onRunCreated?: (run: FlowRunRecord) => void;
  setState(id: string, state: StateName, result?: JsonValue): FlowRunRecord;
  publish(event: Omit<TributaryEvent, "id" | "occurred">): TributaryEvent;
  /** Drops every stream connection (clients reconnect). */
  dropConnections(): void;
  connections(): number;
  /** Resolves once a request to `path` (without the query) has been answered. */
  answered(method: string, path: string): Promise<void>;
  /** Resolves when the next stream connection has been accepted. */
  nextConnection(): Promise<void>;
  /** Resolves once no stream connection is open. */
  whenNoConnections(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeApiServer(options: { deployments: FakeDeployment[]; token?: string }): Promise<FakeApiServer> {
  const sockets = new Set<WebSocket>();
  const runWaiters: ((run: FlowRunRecord) => void)[] = [];
  const byKey = new Map<string, string>();
  const emptyWaiters: (() => void)[] = [];
  const connectionWaiters: (() => void)[] = [];
  let answerWaiters: { key: string; resolve: () => void }[] = [];
  const authorized = (req: http.IncomingMessage) => options.token === undefined || req.headers.authorization === `Bearer ${options.token}`;

  const publish = (input: Omit<TributaryEvent, "id" | "occurred">): TributaryEvent => {
    const event: TributaryEvent = { id: randomUUID(), occurred: new Date().toISOString(), ...input };
    for (const socket of sockets) socket.send(JSON.stringify(event));
    return event;
  };
  const publishRun = (run: FlowRunRecord & { chain: CausalLink[]; deploymentName: string }) =>
    publish({
      event: `tributary.flow-run.${run.state.name}`,
      resource: { id: `tributary.flow-run.${run.id}`, name: run.name, flowName: run.flowName, deploymentName: run.deploymentName, tags: run.tags },
      payload: { flowRun: structuredClone(run) as unknown as JsonValue, state: { type: run.state.type, name: run.state.name } },
      chain: run.chain,
    });

  const fake: FakeApiServer = {
    url: "",
    runs: new Map(),
    requests: [],
    nextRun: () => new Promise((resolve) => runWaiters.push(resolve)),
    setState(id, state, result) {
      const run = fake.runs.get(id)!;
      run.state = makeState(state, new Date());
      if (result !== undefined) run.result = result;
      publishRun(run);
      return structuredClone(run);
    },
    publish,
    dropConnections: () => sockets.forEach((socket) => socket.terminate()),
    connections: () => sockets.size,
    answered: (method, path) => new Promise((resolve) => answerWaiters.push({ key: `${method} ${path}`, resolve })),
    nextConnection: () => new Promise((resolve) => connectionWaiters.push(resolve)),
    whenNoConnections: () => (sockets.size === 0 ? Promise.resolve() : new Promise((resolve) => emptyWaiters.push(resolve))),
    close: async () => {
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const key = `${res.req.method} ${new URL(res.req.url ?? "/", "http://x").pathname}`;
    const done = answerWaiters.filter((w) => w.key === key);
    answerWaiters = answerWaiters.filter((w) => w.key !== key);
    for (const waiter of done) waiter.resolve();
  };
  const fail = (res: http.ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

  const createRun = (res: http.ServerResponse, name: string, request: CreateDeploymentRunRequest) => {
    const deployment = options.deployments.find((d) => d.name === name);
    if (!deployment) return fail(res, 404, "NOT_FOUND", `No deployment named "${name}".`);
    const flowName = name.split("/")[0]!;
    for (const key of Object.keys(request.parameters ?? {})) {
      if (!deployment.parameters.includes(key)) return fail(res, 422, "INVALID_PARAMETERS", `Parameter "${key}" is not a parameter of flow "${flowName}".`);
    }
    const existing = request.idempotencyKey === undefined ? undefined : byKey.get(`${name} ${request.idempotencyKey}`);
    if (existing !== undefined) return send(res, 200, fake.runs.get(existing));
    const id = randomUUID();
    const state = makeState("Scheduled", new Date());
    const chain: CausalLink[] = [...(request.chain ?? []), { kind: "deployment", id: `dep-${name}`, name }, { kind: "flow-run", id, name: flowName }];
    const run: FlowRunRecord & { chain: CausalLink[]; deploymentName: string } = {
      id,
      name: request.flowRunName ?? `run-${fake.runs.size + 1}`,
      flowName,
      deploymentId: `dep-${name}`,
      deploymentName: name,
      state,
      parameters: request.parameters ?? {},
      tags: request.tags ?? [],
      runCount: 0,
      createdAt: new Date(Date.now() + fake.runs.size).toISOString(),
      chain,
    };
    if (request.parentFlowRunId !== undefined) run.parentFlowRunId = request.parentFlowRunId;
    fake.runs.set(id, run);
    if (request.idempotencyKey !== undefined) byKey.set(`${name} ${request.idempotencyKey}`, id);
    publishRun(run);
    fake.onRunCreated?.(structuredClone(run));
    for (const waiter of runWaiters.splice(0)) waiter(structuredClone(run));
    send(res, 201, run);
  };

  const listRuns = (res: http.ServerResponse, query: URLSearchParams) => {
    const tags = query.get("tags")?.split(",") ?? [];
    const state = query.get("state");
    let runs = [...fake.runs.values()].filter(
      (run) =>
        (query.get("flowName") === null || run.flowName === query.get("flowName")) &&
        (query.get("deploymentName") === null || run.deploymentName === query.get("deploymentName")) &&
        (state === null || run.state.name === state || run.state.type === state) &&
        (query.get("parentFlowRunId") === null || run.parentFlowRunId === query.get("parentFlowRunId")) &&
        tags.every((tag) => run.tags.includes(tag)),
    );
    runs.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    if (query.get("sort") !== "created-asc") runs.reverse();
    const limit = query.get("limit");
    if (limit !== null) runs = runs.slice(0, Number(limit));
    send(res, 200, runs);
  };

  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const body: unknown = text === "" ? undefined : JSON.parse(text);
      fake.requests.push({ method: req.method ?? "", path: `${url.pathname}${url.search}`, body });
      if (!authorized(req)) return fail(res, 401, "UNAUTHORIZED", "This server requires a token.");
      const runsOf = /^\/api\/deployments\/([^/]+)\/runs$/.exec(url.pathname);
      const flowRun = /^\/api\/flow-runs\/([^/]+)$/.exec(url.pathname);
      if (req.method === "POST" && runsOf) return createRun(res, decodeURIComponent(runsOf[1]!), (body ?? {}) as CreateDeploymentRunRequest);
      if (req.method === "GET" && flowRun) {
        const run = fake.runs.get(decodeURIComponent(flowRun[1]!));
        return run ? send(res, 200, run) : fail(res, 404, "NOT_FOUND", `No flow run with id "${flowRun[1]}".`);
      }
      if (req.method === "GET" && url.pathname === "/api/flow-runs") return listRuns(res, url.searchParams);
      if (req.method === "POST" && url.pathname === "/api/events") {
        const inputs = (Array.isArray(body) ? body : [body]) as Omit<TributaryEvent, "id" | "occurred">[];
        return send(res, 200, inputs.map(publish));
      }
      fail(res, 404, "NOT_FOUND", `No route ${req.method} ${url.pathname}.`);
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== "/api/events/stream" || !authorized(req)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      for (const resolve of connectionWaiters.splice(0)) resolve();
      ws.on("close", () => {
        sockets.delete(ws);
        if (sockets.size === 0) for (const resolve of emptyWaiters.splice(0)) resolve();
      });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
