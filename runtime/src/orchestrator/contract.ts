/**
 * The contract between the orchestration server and its clients (the CLI, flow-run processes using
 * runDeployment / waitForFlow / emitEvent, and later the VS Code extension): routes, request and
 * response shapes, and the events on the live stream. Change it here first, then both sides.
 *
 * Transport: JSON over HTTP under `/api`; the live stream is a WebSocket at `/api/events/stream`.
 * When the server has a token (TRIBUTARY_API_TOKEN), every request and the WebSocket upgrade carry
 * `Authorization: Bearer <token>`; errors are `{ error: { code, message } }` with a 4xx/5xx status.
 * Flow-run processes find the server through TRIBUTARY_API_URL (and TRIBUTARY_API_TOKEN).
 *
 * Stored and broadcast events. Flow-run state changes, automation and deployment events and
 * clients' own events are stored (GET /api/events lists them) and sent on the stream. Two kinds
 * are only sent on the stream, never stored, because they come by the thousand and live in their
 * own tables already: `tributary.task-run.<StateName>` (TaskRunEventPayload; GET
 * /api/flow-runs/{id}/task-runs has the records) and `tributary.log` (LogEventPayload; GET
 * /api/flow-runs/{id}/logs has the stored lines, with their ids). Both carry
 * `related: [{ id: "tributary.flow-run.<flowRunId>" }]`. A process that executes runs outside the
 * server posts them to `POST /api/events/broadcast`. Automations never see them. A stream client
 * that wants only stored events connects to `/api/events/stream?storedOnly=true` (the runtime's
 * own clients do). A client that reads a run's task runs or logs and then follows the stream
 * should subscribe first and drop what it already has (task runs by id and state, log lines by
 * timestamp and message: a broadcast log line does not know its stored id).
 */
import type { StateName, StateType } from "../states.js";
import type { ScheduleSpec } from "../schedules/schedule.js";
import type { FlowRunRecord, JsonValue, LogLevel, TaskRunRecord } from "../store/records.js";

export const API_URL_ENV = "TRIBUTARY_API_URL";
export const API_TOKEN_ENV = "TRIBUTARY_API_TOKEN";

/** A link in the causal chain of a run: which run, automation or deployment led to it. */
export interface CausalLink {
  kind: "flow-run" | "deployment" | "automation";
  id: string;
  name: string;
}

/** Something that happened, Prefect-style. Flow-run state changes are events too. */
export interface TributaryEvent {
  /** UUIDv7. */
  id: string;
  /** ISO 8601. */
  occurred: string;
  /**
   * `tributary.flow-run.<StateName>` for state changes (`tributary.flow-run.Completed`),
   * `tributary.automation.triggered`, `tributary.automation.refused` (loop guard),
   * `tributary.deployment.run-refused` (loop guard on a runDeployment call; related: the caller),
   * `tributary.deployment.paused` / `.resumed`, `tributary.deployment.registered` /
   * `tributary.automation.registered` (one created or updated by an upsert; payload `{ status }`),
   * `tributary.graph.registered` (PUT /api/graph stored a project's graph; resource
   * `tributary.graph.<root>`; payload `{ nodes, edges, cycles }`, the counts),
   * or a user's own name given to emitEvent.
   */
  event: string;
  resource: EventResource;
  payload: Record<string, JsonValue>;
  related?: EventResource[];
  /** What led to this event (for a flow run: the chain that started it). */
  chain?: CausalLink[];
}

export interface EventResource {
  /** `tributary.flow-run.<id>`, `tributary.deployment.<id>`, `tributary.automation.<id>`, `tributary.graph.<root>`, or a user's own id. */
  id: string;
  name?: string;
  flowName?: string;
  deploymentName?: string;
  tags?: string[];
  [label: string]: JsonValue | undefined;
}

/** A flow-run state-change event carries the run as it is after the change. */
export interface FlowRunEventPayload {
  flowRun: FlowRunRecord;
  state: { type: StateType; name: StateName; message?: string };
}

/** `tributary.task-run.<StateName>` (broadcast, not stored): the task run as it is after the change. */
export interface TaskRunEventPayload {
  taskRun: TaskRunRecord;
  state: { type: StateType; name: StateName; message?: string };
}

/** `tributary.log` (broadcast, not stored): one line of a run's log, as the run logged it. */
export interface LogEventPayload {
  flowRunId: string;
  taskRunId?: string;
  level: LogLevel;
  message: string;
  timestamp: string;
}

/** A deployment as registered with the server. `name` is `"<flow-name>/<deployment name>"`. */
export interface DeploymentRecord {
  id: string;
  name: string;
  flowName: string;
  /** `path/to/file.ts:exportName`, relative to `workDir`. */
  entrypoint: string;
  /** The directory runs of this deployment execute in (the workspace). */
  workDir: string;
  schedules: ScheduleSpec[];
  parameters: Record<string, JsonValue>;
  /** JSON Schema of the flow's parameters when known; runs are validated against it (ajv). */
  parameterSchema?: Record<string, JsonValue>;
  tags: string[];
  description?: string;
  paused: boolean;
  concurrencyLimit?: number;
  /**
   * How its runs execute: `"shared"` (the default) in its project's runner process, with other
   * runs of the project; `"process"` each in a process of its own (code that blocks the event
   * loop, changes `process.env` or the working directory, or keeps module state per run).
   */
  isolation?: "shared" | "process";
  /** The work pool whose workers execute its runs; absent: `"default"` (deployments/work-pools.ts). */
  pool?: string;
  /** Trigger objects (the same as automations') that run this deployment. */
  triggers: JsonValue[];
  createdAt: string;
  updatedAt: string;
}

/**
 * A worker that executes deployment runs: a server's own, or `tributary worker start` on a machine
 * of its own; written at its start and with each heartbeat (GET /api/workers, `tributary worker ls`).
 */
export interface WorkerRecord {
  /** `<host>:<pid>` unless named. */
  name: string;
  kind: "server" | "worker";
  pools: string[];
  host: string;
  pid: number;
  startedAt: string;
  lastHeartbeat: string;
  /** Runs it executes now. */
  runs: number;
  /** Set when it stopped: it says so as it goes (a worker that dies is known by its stale heartbeat). */
  stoppedAt?: string;
}

/**
 * GET /api/workers: a worker as listed, `offline` once it stopped or its last heartbeat is older
 * than the servers' heartbeat timeout (10 s): a worker that died.
 */
export type ListedWorker = WorkerRecord & { status: "online" | "offline" };

export interface AutomationRecord {
  id: string;
  name: string;
  trigger: JsonValue;
  actions: JsonValue[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The kinds of node and edge of the static dependency graph (`tributary graph`; server/src/analysis). */
export const GRAPH_NODE_KINDS = ["flow", "task", "deployment", "automation"] as const;
export const GRAPH_EDGE_KINDS = ["subflow", "task", "run-deployment", "deployment-of", "waits-for", "triggers"] as const;

/**
 * The static dependency graph of one project, as the analysis computes it without running its code
 * (the JSON of `tributary graph` with what a picture needs: each call site's column, whether an
 * edge waits, and the reported cycles, TRB100/TRB101, with their messages and hops). Every `file`
 * is relative to `root`, the project's absolute folder; `line` and `column` are 1-based.
 */
export interface ProjectGraph {
  root: string;
  nodes: { id: string; kind: (typeof GRAPH_NODE_KINDS)[number]; name: string; file: string; line: number }[];
  edges: {
    from: string;
    to: string;
    kind: (typeof GRAPH_EDGE_KINDS)[number];
    conditional: boolean;
    file: string;
    line: number;
    column: number;
    waiting: boolean;
    /** For a trigger of a deployment: what it comes through. */
    via?: string;
    /** For a `triggers` edge: the node id of the automation that made it. */
    automation?: string;
  }[];
  cycles: {
    code: "TRB100" | "TRB101";
    severity: "error" | "warning";
    message: string;
    file: string;
    line: number;
    hops: { file: string; line: number; column: number; message: string }[];
  }[];
}

/**
 * PUT /api/graph: what `tributary deploy` sends after registering — the graph of the project the
 * deployed files belong to, and which files it deployed when. It replaces the graph stored for
 * the same `root`; other projects' graphs stay.
 */
export type PutGraphRequest = ProjectGraph & { source: { files: string[]; deployedAt: string; cwd?: string } };

/** GET /api/graph answers one per project, by `root`: the graph as last sent, and when the server stored it. */
export type RegisteredGraph = PutGraphRequest & { updatedAt: string };

/**
 * POST /api/deployments: `{ deployments: DeploymentInput[] }`. Left-out lists default to empty; a
 * left-out `paused` keeps the registered value (false for a new deployment).
 */
export type DeploymentInput = Omit<DeploymentRecord, "id" | "createdAt" | "updatedAt" | "paused" | "schedules" | "parameters" | "tags" | "triggers"> &
  Partial<Pick<DeploymentRecord, "paused" | "schedules" | "parameters" | "tags" | "triggers">>;

/** POST /api/automations: `{ automations: AutomationInput[] }`; a left-out `enabled` keeps the registered value (true for a new one). */
export type AutomationInput = Omit<AutomationRecord, "id" | "createdAt" | "updatedAt" | "enabled"> & { enabled?: boolean };

/** One entry of the answer to an upsert: `{ results: UpsertResult[] }`. */
export interface UpsertResult<R> {
  name: string;
  status: "created" | "updated" | "unchanged";
  record: R;
}

/** POST /api/deployments/{name}/runs */
export interface CreateDeploymentRunRequest {
  parameters?: Record<string, JsonValue>;
  idempotencyKey?: string;
  tags?: string[];
  flowRunName?: string;
  /** ISO 8601; absent = now. */
  scheduledTime?: string;
  /** Links the new run to the calling run (runDeployment's `asSubflow`). */
  parentFlowRunId?: string;
  /** The chain of the caller, to which the server appends this deployment and run. */
  chain?: CausalLink[];
}

/**
 * An entry of GET /api/flow-runs. With `?resultChars=N`, a run whose result is longer than N
 * characters of JSON comes without `result` and with the first N characters of that JSON in
 * `resultPreview`, so that a page of runs stays small; GET /api/flow-runs/{id} has the whole value.
 * With `?withChildren=true`, each run says whether it has task runs or subflow runs (`hasChildren`),
 * so that a list offers to expand only those that do.
 */
export type ListedFlowRun = FlowRunRecord & { resultPreview?: string; hasChildren?: boolean };

/**
 * The dashboard's sign-in (orchestrator/dashboard-sessions.ts). `POST /api/sessions/tickets`, with
 * the token only, answers a one-time link: `GET /sign-in?ticket=…` (outside /api) within 60 s
 * signs a browser in with an HttpOnly session cookie and sends it to `/#key=<key>`: the session's
 * key, in a fragment no server is sent. With the cookie the API answers the server's own pages,
 * and only when every request (reads too) also carries that key in the `X-Tributary-Session-Key`
 * header (on the event stream: the subprotocols `tributary` and `key.<key>`). The key is never
 * handed out again. DELETE /api/session signs out.
 */
export interface SignInTicket {
  ticket: string;
  /** The link that signs a browser in: the server's URL + `signInPath(ticket)`. */
  url: string;
  /** ISO 8601: the link works once, until then. */
  expiresAt: string;
}

/** GET /api/session (with the session cookie and its key). */
export interface SessionInfo {
  /** ISO 8601: the session ends then at the latest (and earlier after 12 hours unused). */
  expiresAt: string;
}

/** The path of the sign-in link for `ticket`. */
export function signInPath(ticket: string): string {
  return `/sign-in?ticket=${encodeURIComponent(ticket)}`;
}

/**
 * Answers: lists are JSON arrays of records (FlowRunRecord, TaskRunRecord, StoredLogRecord,
 * DeploymentRecord, AutomationRecord, TributaryEvent); one resource is its record; upserts answer
 * `{ results: UpsertResult[] }`; POST /api/events answers the stored events; a deployment run
 * request answers the FlowRunRecord (201 created, 200 an existing run for the idempotency key,
 * 409 when the deployment is paused or the loop guard refuses the chain (code LOOP_GUARD), 422
 * when parameters do not fit its schema).
 */
export const ROUTES = {
  health: "GET /api/health",
  listFlowRuns: "GET /api/flow-runs", // ?flowName&deploymentName&worker&state&tags&anyTags&startedAfter&startedBefore&parentFlowRunId&before&limit&sort&resultChars&withChildren (worker: the name of the worker that claimed the run, as listWorkers names it; tags: all of them, anyTags: one of them, comma-separated; started*: ISO 8601, inclusive; before: a run id, the page cursor; resultChars, withChildren: see ListedFlowRun)
  clearFlowRuns: "DELETE /api/flow-runs", // deletes finished runs (task runs, logs too): { deleted }; 409 while runs are executing
  getFlowRun: "GET /api/flow-runs/{id}",
  taskRuns: "GET /api/flow-runs/{id}/task-runs",
  logs: "GET /api/flow-runs/{id}/logs", // ?afterId
  flowRunStates: "GET /api/flow-runs/{id}/states", // every state the run went through, oldest first
  taskRunStates: "GET /api/task-runs/{id}/states",
  cancelFlowRun: "POST /api/flow-runs/{id}/cancel",
  retryFlowRun: "POST /api/flow-runs/{id}/retry",
  resumeFlowRun: "POST /api/flow-runs/{id}/resume", // a Paused run → Running (its own process carries on); 409 when it is not Paused
  listDeployments: "GET /api/deployments",
  getDeployment: "GET /api/deployments/{name}", // name URL-encoded ("flow%2Fdeploy")
  upsertDeployments: "POST /api/deployments", // body: DeploymentRecord-like list; reports created/updated/unchanged
  createDeploymentRun: "POST /api/deployments/{name}/runs", // 201 new, 200 existing (idempotency), 409 paused or LOOP_GUARD, 422 bad parameters
  pauseDeployment: "POST /api/deployments/{name}/pause",
  resumeDeployment: "POST /api/deployments/{name}/resume",
  listAutomations: "GET /api/automations",
  getAutomation: "GET /api/automations/{name}",
  upsertAutomations: "POST /api/automations",
  pauseAutomation: "POST /api/automations/{name}/pause",
  resumeAutomation: "POST /api/automations/{name}/resume",
  emitEvents: "POST /api/events", // body: one event or a list (id/occurred filled in when absent)
  broadcastEvents: "POST /api/events/broadcast", // the same body; sent on the stream, not stored; answers { broadcast: n }
  listWorkers: "GET /api/workers", // ListedWorker[]: the servers' workers and `tributary worker start`, the last heard of first
  listEvents: "GET /api/events", // ?event&resourceId&limit
  putGraph: "PUT /api/graph", // body: PutGraphRequest (`tributary deploy` sends it); replaces the graph of its `root`; answers { root, updatedAt, nodes, edges, cycles } (counts); bounded by MAX_GRAPH_BODY_BYTES
  listGraphs: "GET /api/graph", // RegisteredGraph[]: every deployed project's graph, one per root, in order of root
  createSignInTicket: "POST /api/sessions/tickets", // token only: a one-time sign-in link for the dashboard (SignInTicket)
  getSession: "GET /api/session", // dashboard session only: SessionInfo
  endSession: "DELETE /api/session", // dashboard session only: signs out, clears the cookie; answers { signedOut: true }
  eventStream: "GET /api/events/stream", // WebSocket: one TributaryEvent per message; ?storedOnly=true leaves out broadcast events
} as const;
