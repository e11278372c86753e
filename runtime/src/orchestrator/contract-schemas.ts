/**
 * The JSON Schemas of every route of contract.ts ROUTES: its path parameters, its query and its
 * body, declared once. The server validates each request against them before a handler runs
 * (route-validation.ts), so a handler only ever sees input of the declared shape, and a request of
 * another shape is answered 400 naming the field. A route missing here does not compile
 * (`RouteSchemas` is keyed by the route table), so a new route gets its checks by construction.
 *
 * Query values arrive as strings: their schemas are string patterns. Sizes are bounded here
 * (names, ids, list lengths, `limit`); the whole body is bounded by the server's `maxBodyBytes`, or by
 * the route's own when that is larger (`RouteSchema.maxBodyBytes`).
 */
import { POOL_NAME_PATTERN } from "../deployments/work-pools.js";
import { GRAPH_EDGE_KINDS, GRAPH_NODE_KINDS, type ROUTES } from "./contract.js";

type Schema = Record<string, unknown>;

export interface RouteSchema {
  /** Path parameters (`{id}`, `{name}`), decoded. */
  params?: Schema;
  /** The query, one string per key (a key given twice is refused before this). */
  query?: Schema;
  /** The JSON body; absent means the route takes none (an empty body or `{}` only). */
  body?: Schema;
  /** Turns a body's short form into the one `body` describes (a bare list, a single event). */
  normalize?: (body: unknown) => unknown;
  /**
   * The largest body this route reads, when the server's `maxBodyBytes` is smaller: for a route
   * whose one document is larger by nature (a project's graph), so that it keeps its room on every
   * server without raising the bound of the others.
   */
  maxBodyBytes?: number;
}

/** The longest limit a listing answers at once. */
export const MAX_LIST_LIMIT = 10_000;
/** The most events one POST /api/events (or /broadcast) may carry. */
export const MAX_EVENTS_PER_REQUEST = 5_000;
/**
 * The largest graph PUT /api/graph reads: a generated workspace of 2,000 flow files (14,000
 * nodes, 20,000 edges, 28 cycles) is 4.8 MB of compact JSON, past the 4 MiB the other routes allow.
 */
export const MAX_GRAPH_BODY_BYTES = 32 * 1024 * 1024;

const text = (maxLength: number): Schema => ({ type: "string", minLength: 1, maxLength });
const id = text(200);
const name = text(1_000);
const stringList = (maxItems: number): Schema => ({ type: "array", maxItems, items: text(1_000) });
const object: Schema = { type: "object" };
const limit: Schema = { type: "string", pattern: "^([1-9][0-9]{0,3}|10000)$", description: `a whole number from 1 to ${MAX_LIST_LIMIT}` };
const noBody: Schema = { type: "object", additionalProperties: false, maxProperties: 0 };

const causalLink: Schema = {
  type: "object",
  required: ["kind", "id", "name"],
  additionalProperties: false,
  properties: { kind: { enum: ["flow-run", "deployment", "automation"] }, id, name },
};
const chain: Schema = { type: "array", maxItems: 1_000, items: causalLink };

const resource: Schema = { type: "object", required: ["id"], properties: { id: text(1_000), name: { type: "string", maxLength: 1_000 } } };
const event: Schema = {
  type: "object",
  required: ["event", "resource"],
  additionalProperties: false,
  properties: {
    id,
    occurred: text(64),
    event: text(500),
    resource,
    payload: object,
    related: { type: "array", maxItems: 100, items: resource },
    chain,
  },
};
const events: Schema = { type: "array", minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST, items: event };
/** One event may be posted alone. */
const eventList = (body: unknown): unknown => (body !== null && typeof body === "object" && !Array.isArray(body) ? [body] : body);

const schedule: Schema = {
  type: "object",
  minProperties: 1,
  properties: {
    cron: text(500),
    interval: { type: ["number", "string"] },
    anchor: text(64),
    rrule: text(2_000),
    timezone: text(100),
  },
  additionalProperties: false,
};
const deployment: Schema = {
  type: "object",
  required: ["name", "flowName", "entrypoint", "workDir"],
  additionalProperties: false,
  properties: {
    name,
    flowName: name,
    entrypoint: text(4_096),
    workDir: text(4_096),
    schedules: { type: "array", maxItems: 100, items: schedule },
    parameters: object,
    parameterSchema: object,
    tags: stringList(100),
    description: { type: "string", maxLength: 10_000 },
    paused: { type: "boolean" },
    concurrencyLimit: { type: "integer", minimum: 1 },
    isolation: { enum: ["shared", "process"] },
    pool: { type: "string", pattern: POOL_NAME_PATTERN },
    triggers: { type: "array", maxItems: 100, items: object },
  },
};
const automation: Schema = {
  type: "object",
  required: ["name", "trigger", "actions"],
  additionalProperties: false,
  properties: {
    name,
    // A missing trigger is null: the automation service says what a trigger needs.
    trigger: { type: ["object", "null"] },
    actions: { type: "array", maxItems: 100, items: object },
    enabled: { type: "boolean" },
  },
};
/** `{ <key>: [...] }`; the list may also be posted bare (see `wrapList`). */
const listBody = (key: string, item: Schema): Schema => ({
  type: "object",
  required: [key],
  additionalProperties: false,
  properties: { [key]: { type: "array", maxItems: 1_000, items: item } },
});
const wrapList = (key: string) => (body: unknown): unknown => (Array.isArray(body) ? { [key]: body } : body);

const runIdParams: Schema = { type: "object", required: ["id"], properties: { id } };
const nameParams: Schema = { type: "object", required: ["name"], properties: { name } };
const isoTime: Schema = {
  type: "string",
  maxLength: 64,
  pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?$",
  description: "an ISO 8601 date and time such as 2026-03-01T10:00:00Z",
};

/** contract.ts PutGraphRequest, every object closed: the dashboard draws what it stores. */
const line: Schema = { type: "integer", minimum: 1 };
const filePath = text(4_096);
const graphNode: Schema = {
  type: "object",
  required: ["id", "kind", "name", "file", "line"],
  additionalProperties: false,
  properties: { id: name, kind: { enum: [...GRAPH_NODE_KINDS] }, name, file: filePath, line },
};
const graphEdge: Schema = {
  type: "object",
  required: ["from", "to", "kind", "conditional", "file", "line", "column", "waiting"],
  additionalProperties: false,
  properties: {
    from: name,
    to: name,
    kind: { enum: [...GRAPH_EDGE_KINDS] },
    conditional: { type: "boolean" },
    file: filePath,
    line,
    column: line,
    waiting: { type: "boolean" },
    via: name,
    automation: name,
  },
};
// A cycle's message names its hops: a long cycle has a long message.
const message = text(100_000);
const graphCycle: Schema = {
  type: "object",
  required: ["code", "severity", "message", "file", "line", "hops"],
  additionalProperties: false,
  properties: {
    code: { enum: ["TRB100", "TRB101"] },
    severity: { enum: ["error", "warning"] },
    message,
    file: filePath,
    line,
    hops: {
      type: "array",
      maxItems: 1_000,
      items: { type: "object", required: ["file", "line", "column", "message"], additionalProperties: false, properties: { file: filePath, line, column: line, message } },
    },
  },
};
const graphBody: Schema = {
  type: "object",
  required: ["root", "nodes", "edges", "cycles", "source"],
  additionalProperties: false,
  properties: {
    root: filePath,
    nodes: { type: "array", maxItems: 500_000, items: graphNode },
    edges: { type: "array", maxItems: 1_000_000, items: graphEdge },
    cycles: { type: "array", maxItems: 100_000, items: graphCycle },
    source: {
      type: "object",
      required: ["files", "deployedAt"],
      additionalProperties: false,
      properties: { files: { type: "array", maxItems: 100_000, items: filePath }, deployedAt: isoTime, cwd: filePath },
    },
  },
};

const flowRunQuery: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    flowName: name,
    deploymentName: name,
    worker: name,
    state: text(40),
    tags: { type: "string", maxLength: 10_000 },
    anyTags: { type: "string", minLength: 1, maxLength: 10_000, description: "a comma-separated list of tags" },
    startedAfter: isoTime,
    startedBefore: isoTime,
    parentFlowRunId: { type: "string", maxLength: 200 },
    before: id,
    limit,
    sort: { enum: ["created-asc", "created-desc"] },
    resultChars: { type: "string", pattern: "^[1-9][0-9]{0,5}$", description: "a whole number of characters from 1 to 999999" },
    withChildren: { enum: ["true", "false"] },
  },
};

export const ROUTE_SCHEMAS: Record<keyof typeof ROUTES, RouteSchema> = {
  health: {},
  listFlowRuns: { query: flowRunQuery },
  clearFlowRuns: {},
  getFlowRun: { params: runIdParams },
  taskRuns: { params: runIdParams },
  logs: { params: runIdParams, query: { type: "object", additionalProperties: false, properties: { afterId: { type: "string", pattern: "^[0-9]{1,15}$" } } } },
  flowRunStates: { params: runIdParams },
  taskRunStates: { params: runIdParams },
  cancelFlowRun: { params: runIdParams, body: noBody },
  retryFlowRun: { params: runIdParams, body: noBody },
  resumeFlowRun: { params: runIdParams, body: noBody },
  listDeployments: {},
  listWorkers: {},
  getDeployment: { params: nameParams },
  upsertDeployments: { body: listBody("deployments", deployment), normalize: wrapList("deployments") },
  createDeploymentRun: {
    params: nameParams,
    body: {
      type: "object",
      additionalProperties: false,
      properties: {
        parameters: object,
        idempotencyKey: text(1_000),
        tags: stringList(100),
        flowRunName: name,
        scheduledTime: text(64),
        parentFlowRunId: id,
        chain,
      },
    },
  },
  pauseDeployment: { params: nameParams, body: noBody },
  resumeDeployment: { params: nameParams, body: noBody },
  listAutomations: {},
  getAutomation: { params: nameParams },
  upsertAutomations: { body: listBody("automations", automation), normalize: wrapList("automations") },
  pauseAutomation: { params: nameParams, body: noBody },
  resumeAutomation: { params: nameParams, body: noBody },
  emitEvents: { body: events, normalize: eventList },
  broadcastEvents: { body: events, normalize: eventList },
  listEvents: { query: { type: "object", additionalProperties: false, properties: { event: text(500), resourceId: text(1_000), limit } } },
  putGraph: { body: graphBody, maxBodyBytes: MAX_GRAPH_BODY_BYTES },
  listGraphs: {},
  createSignInTicket: { body: noBody },
  getSession: {},
  endSession: {},
  eventStream: { query: { type: "object", additionalProperties: false, properties: { storedOnly: { enum: ["true", "false"] } } } },
};
