/**
 * The JSON API of contract.ts ROUTES, as a table of `METHOD /path/{param}` → handler. Handlers get
 * the path parameters (decoded), the query and the parsed body; they return `[status, body]` or
 * throw an ApiError.
 */
import type { Clock } from "../engine/clock.js";
import { isStateName, STATE_TYPES, type StateName, type StateType } from "../states.js";
import type { FlowRunFilter, FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { badRequest, conflict, notFound } from "./api-error.js";
import type { AutomationService } from "./automation-service.js";
import { ROUTES, type AutomationInput, type ListedFlowRun, type ListedWorker, type CreateDeploymentRunRequest, type DeploymentInput, type PutGraphRequest, type RegisteredGraph } from "./contract.js";
import type { DeploymentService } from "./deployment-service.js";
import type { EventHub, EventInput } from "./event-hub.js";
import type { FlowRunControl } from "./flow-run-control.js";
import type { DashboardSessions } from "./dashboard-sessions.js";
import type { RequestAuth } from "./request-guard.js";
import type { RouteKey } from "./route-validation.js";
import { sessionHandlers } from "./session-routes.js";

/** States in which some process is executing the run: history cannot be cleared under it. */
const EXECUTING: ReadonlySet<StateType> = new Set(["PENDING", "RUNNING", "CANCELLING"]);

export interface ApiServices {
  store: Store;
  hub: EventHub;
  deployments: DeploymentService;
  automations: AutomationService;
  flowRuns: FlowRunControl;
  clock: Clock;
  /** A worker whose last heartbeat is older is listed offline. */
  heartbeatTimeoutMs: number;
  sessions: DashboardSessions;
  /** The server's URL (known once it listens). */
  url: () => string;
}

/** The status, the JSON body and any headers of its own (a session route's `Set-Cookie`). */
export type RouteResult = [status: number, body: unknown, headers?: Record<string, string>];

interface RouteInput {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Who the guard let in (request-guard.ts). */
  auth: RequestAuth;
}

type Handler = (input: RouteInput) => Promise<RouteResult>;

export interface Route {
  /** The route's key in contract.ts ROUTES (and contract-schemas.ts). */
  key: RouteKey;
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export function buildRoutes(s: ApiServices): Route[] {
  const ok = (body: unknown): RouteResult => [200, body];
  const handlers: Record<Exclude<keyof typeof ROUTES, "eventStream">, Handler> = {
    health: async () => ok({ status: "ok" }),
    listFlowRuns: async ({ query }) => {
      const runs = await s.store.listFlowRuns(await flowRunFilter(s, query));
      const resultChars = query.get("resultChars");
      const listed: ListedFlowRun[] = resultChars === null ? runs : runs.map((run) => capResult(run, Number(resultChars)));
      if (query.get("withChildren") !== "true") return ok(listed);
      const withChildren = await s.store.flowRunsWithChildren(listed.map((run) => run.id));
      return ok(listed.map((run) => ({ ...run, hasChildren: withChildren.has(run.id) })));
    },
    clearFlowRuns: async () => {
      const executing = (await s.store.listActiveFlowRuns()).filter((run) => EXECUTING.has(run.state.type));
      if (executing.length > 0) {
        const names = executing.slice(0, 3).map((run) => run.name).join(", ");
        throw conflict(
          `${executing.length} flow run${executing.length === 1 ? " is" : "s are"} still executing (${names}${executing.length > 3 ? ", …" : ""}): wait for ${executing.length === 1 ? "it" : "them"} to end or cancel ${executing.length === 1 ? "it" : "them"}, then clear the history.`,
        );
      }
      return ok({ deleted: await s.store.deleteFinishedFlowRuns() });
    },
    getFlowRun: async ({ params }) => ok(await s.flowRuns.get(params.id!)),
    taskRuns: async ({ params }) => ok(await s.store.getTaskRuns((await s.flowRuns.get(params.id!)).id)),
    logs: async ({ params, query }) => {
      const run = await s.flowRuns.get(params.id!);
      const afterId = query.get("afterId");
      return ok(await s.store.getLogs(run.id, afterId !== null ? { afterId: Number(afterId) } : {}));
    },
    flowRunStates: async ({ params }) => ok(await s.store.getStateHistory((await s.flowRuns.get(params.id!)).id)),
    taskRunStates: async ({ params }) => {
      const taskRun = await s.store.getTaskRun(params.id!);
      if (!taskRun) throw notFound(`No task run has the id "${params.id!}".`);
      return ok(await s.store.getStateHistory(taskRun.id));
    },
    cancelFlowRun: async ({ params }) => ok(await s.flowRuns.cancel(params.id!)),
    retryFlowRun: async ({ params }) => ok(await s.flowRuns.retry(params.id!)),
    resumeFlowRun: async ({ params }) => ok(await s.flowRuns.resume(params.id!)),
    listDeployments: async () => ok(await s.store.listDeployments()),
    listWorkers: async () => {
      const now = s.clock.now().getTime();
      const listed: ListedWorker[] = (await s.store.listWorkers()).map((worker) => ({
        ...worker,
        status: worker.stoppedAt === undefined && now - Date.parse(worker.lastHeartbeat) <= s.heartbeatTimeoutMs ? "online" : "offline",
      }));
      return ok(listed);
    },
    getDeployment: async ({ params }) => ok(await s.deployments.get(params.name!)),
    upsertDeployments: async ({ body }) => ok({ results: await s.deployments.upsert(listOf<DeploymentInput>(body, "deployments")) }),
    createDeploymentRun: async ({ params, body }) => {
      const result = await s.deployments.createRun(params.name!, (body ?? {}) as CreateDeploymentRunRequest);
      return [result.created ? 201 : 200, result.run];
    },
    pauseDeployment: async ({ params }) => ok(await s.deployments.setPaused(params.name!, true)),
    resumeDeployment: async ({ params }) => ok(await s.deployments.setPaused(params.name!, false)),
    listAutomations: async () => ok(await s.store.listAutomations()),
    getAutomation: async ({ params }) => ok(await s.automations.get(params.name!)),
    upsertAutomations: async ({ body }) => ok({ results: await s.automations.upsert(listOf<AutomationInput>(body, "automations")) }),
    pauseAutomation: async ({ params }) => ok(await s.automations.setEnabled(params.name!, false)),
    resumeAutomation: async ({ params }) => ok(await s.automations.setEnabled(params.name!, true)),
    emitEvents: async ({ body }) => {
      const inputs = Array.isArray(body) ? body : [body];
      for (const input of inputs) checkEvent(input);
      return ok(inputs.map((input) => s.hub.publish(input as EventInput)));
    },
    broadcastEvents: async ({ body }) => {
      const inputs = Array.isArray(body) ? body : [body];
      for (const input of inputs) checkEvent(input);
      for (const input of inputs) s.hub.broadcast(input as EventInput);
      return ok({ broadcast: inputs.length });
    },
    listEvents: async ({ query }) => {
      const event = query.get("event");
      const resourceId = query.get("resourceId");
      const limit = query.get("limit");
      return ok(
        await s.store.listEvents({
          ...(event !== null ? { event } : {}),
          ...(resourceId !== null ? { resourceId } : {}),
          ...(limit !== null ? { limit: positiveInteger(limit, "limit") } : {}),
        }),
      );
    },
    putGraph: async ({ body }) => {
      if (body === undefined) throw badRequest("PUT /api/graph needs a JSON body: the project's graph (`root`, `nodes`, `edges`, `cycles`) and its `source`, as `tributary deploy` sends it.");
      const graph: RegisteredGraph = { ...(body as PutGraphRequest), updatedAt: s.clock.now().toISOString() };
      await s.store.saveRegisteredGraph(graph);
      const counts = { nodes: graph.nodes.length, edges: graph.edges.length, cycles: graph.cycles.length };
      // The dashboard's Graph redraws on it: a deploy that made (or mended) a cycle shows at once.
      s.hub.publish({ event: "tributary.graph.registered", resource: { id: `tributary.graph.${graph.root}`, name: graph.root }, payload: counts });
      return ok({ root: graph.root, updatedAt: graph.updatedAt, ...counts });
    },
    listGraphs: async () => ok(await s.store.listRegisteredGraphs()),
    ...sessionHandlers(s.sessions, s.url),
  };
  return Object.entries(handlers).map(([key, handler]) => compileRoute(key as keyof typeof handlers, handler));
}

function compileRoute(key: Exclude<RouteKey, "eventStream">, handler: Handler): Route {
  const spec = ROUTES[key];
  const [method, template] = spec.split(" ") as [string, string];
  const names: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { key, method, pattern: new RegExp(`^${source}$`), names, handler };
}

async function flowRunFilter(s: ApiServices, query: URLSearchParams): Promise<FlowRunFilter> {
  const filter: FlowRunFilter = {};
  const flowName = query.get("flowName");
  if (flowName !== null) filter.flowName = flowName;
  const deploymentName = query.get("deploymentName");
  if (deploymentName !== null) filter.deploymentId = (await s.deployments.get(deploymentName)).id;
  // Matched as the claim stored it (GET /api/workers's names), not looked up as a deployment's name is: a
  // worker no run names, a stopped one's included, lists nothing rather than a 404.
  const worker = query.get("worker");
  if (worker !== null) filter.workerName = worker;
  const state = query.get("state");
  if (state !== null) {
    if (!isStateName(state) && !(STATE_TYPES as readonly string[]).includes(state)) throw badRequest(`Unknown state "${state}".`);
    filter.state = state as StateName | StateType;
  }
  const tags = query.get("tags");
  if (tags !== null && tags !== "") filter.tags = tags.split(",");
  const anyTags = query.get("anyTags");
  if (anyTags !== null) filter.anyTags = anyTags.split(",");
  for (const key of ["startedAfter", "startedBefore"] as const) {
    const value = query.get(key);
    if (value === null) continue;
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) throw badRequest(`\`${key}\` must be an ISO 8601 date and time such as 2026-03-01T10:00:00Z, got "${value}".`);
    filter[key] = time.toISOString();
  }
  const parent = query.get("parentFlowRunId");
  if (parent !== null) filter.parentFlowRunId = parent === "" || parent === "null" ? null : parent;
  const before = query.get("before");
  if (before !== null) {
    if ((await s.store.getFlowRun(before)) === undefined) throw badRequest(`\`before\` must be the id of a flow run, got "${before}": no run has that id.`);
    filter.before = before;
  }
  const limit = query.get("limit");
  if (limit !== null) filter.limit = positiveInteger(limit, "limit");
  const sort = query.get("sort");
  if (sort !== null) {
    if (sort !== "created-asc" && sort !== "created-desc") throw badRequest(`\`sort\` must be "created-asc" or "created-desc", got "${sort}".`);
    filter.sort = sort;
  }
  return filter;
}

/** The run as listed with `?resultChars=max` (contract.ts ListedFlowRun): a longer result gives way to its preview. */
function capResult(run: FlowRunRecord, max: number): ListedFlowRun {
  if (run.result === undefined) return run;
  const json = JSON.stringify(run.result);
  if (json.length <= max) return run;
  const { result: _whole, ...rest } = run;
  return { ...rest, resultPreview: json.slice(0, max) };
}

function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const list = (body as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw badRequest(`Expected a JSON body { "${key}": [...] }.`);
  return list as T[];
}

function checkEvent(input: unknown): void {
  const event = input as Partial<EventInput> | null;
  if (event === null || typeof event !== "object") throw badRequest("An event must be a JSON object.");
  if (typeof event.event !== "string" || event.event === "") throw badRequest("An event needs a non-empty `event` name.");
  if (typeof event.resource?.id !== "string") throw badRequest(`Event "${event.event}" needs a \`resource\` with an \`id\`.`);
  if (event.payload === undefined) event.payload = {};
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw badRequest(`\`${name}\` must be a whole number of at least 1, got "${text}".`);
  return value;
}
