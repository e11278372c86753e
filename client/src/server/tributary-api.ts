/**
 * The orchestration server's JSON API (runtime/src/orchestrator/contract.ts) as typed calls, for the
 * views and commands of the extension. One instance per connected server; the live event stream is
 * {@link EventStream}'s business.
 */
import type { AutomationRecord, CreateDeploymentRunRequest, DeploymentRecord, ListedFlowRun, TributaryEvent } from "../../../runtime/src/orchestrator/contract.js";
import type { StateHistoryEntry, StoredLogRecord, TaskRunRecord } from "../../../runtime/src/store/records.js";

export type { AutomationRecord, DeploymentRecord, TributaryEvent, StateHistoryEntry, StoredLogRecord, TaskRunRecord };
/** A flow run as the extension holds it: a listed one may carry only the start of a long result (`resultPreview`). */
export type FlowRunRecord = ListedFlowRun;

/** The query of GET /api/flow-runs. */
export interface FlowRunQuery {
  flowName?: string;
  deploymentName?: string;
  /** A state name (`Running`) or type (`RUNNING`). */
  state?: string;
  tags?: string[];
  /** `null`: top-level runs only (no parent). */
  parentFlowRunId?: string | null;
  /** Only runs created before this run (its id): the cursor of the next page. */
  before?: string;
  limit?: number;
  sort?: "created-asc" | "created-desc";
  /** A result longer than this many characters of JSON comes as its `resultPreview`. */
  resultChars?: number;
  /** Each run says whether it has task runs or subflow runs (`hasChildren`). */
  withChildren?: boolean;
}

/** A 4xx answer: the server's message says what was wrong (e.g. which parameter). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export class TributaryApi {
  constructor(
    readonly url: string,
    readonly token: string | undefined,
  ) {}

  health(signal?: AbortSignal): Promise<{ status: string }> {
    return this.request("GET", "/api/health", undefined, signal);
  }

  listFlowRuns(query: FlowRunQuery = {}): Promise<FlowRunRecord[]> {
    const params = new URLSearchParams();
    if (query.flowName !== undefined) params.set("flowName", query.flowName);
    if (query.deploymentName !== undefined) params.set("deploymentName", query.deploymentName);
    if (query.state !== undefined) params.set("state", query.state);
    if (query.tags !== undefined && query.tags.length > 0) params.set("tags", query.tags.join(","));
    if (query.parentFlowRunId !== undefined) params.set("parentFlowRunId", query.parentFlowRunId ?? "null");
    if (query.before !== undefined) params.set("before", query.before);
    if (query.limit !== undefined) params.set("limit", String(query.limit));
    if (query.sort !== undefined) params.set("sort", query.sort);
    if (query.resultChars !== undefined) params.set("resultChars", String(query.resultChars));
    if (query.withChildren === true) params.set("withChildren", "true");
    const search = params.toString();
    return this.request("GET", `/api/flow-runs${search ? `?${search}` : ""}`);
  }

  /** Deletes every finished run with its task runs and logs; refused (409) while runs execute. */
  clearFlowRuns(): Promise<{ deleted: number }> {
    return this.request("DELETE", "/api/flow-runs");
  }

  getFlowRun(id: string): Promise<FlowRunRecord> {
    return this.request("GET", `/api/flow-runs/${encodeURIComponent(id)}`);
  }

  taskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    return this.request("GET", `/api/flow-runs/${encodeURIComponent(flowRunId)}/task-runs`);
  }

  logs(flowRunId: string, afterId?: number): Promise<StoredLogRecord[]> {
    return this.request("GET", `/api/flow-runs/${encodeURIComponent(flowRunId)}/logs${afterId !== undefined ? `?afterId=${afterId}` : ""}`);
  }

  /** Every state the flow run went through, oldest first. */
  flowRunStates(id: string): Promise<StateHistoryEntry[]> {
    return this.request("GET", `/api/flow-runs/${encodeURIComponent(id)}/states`);
  }

  /** Every state the task run went through, oldest first. */
  taskRunStates(id: string): Promise<StateHistoryEntry[]> {
    return this.request("GET", `/api/task-runs/${encodeURIComponent(id)}/states`);
  }

  cancelFlowRun(id: string): Promise<FlowRunRecord> {
    return this.request("POST", `/api/flow-runs/${encodeURIComponent(id)}/cancel`);
  }

  retryFlowRun(id: string): Promise<FlowRunRecord> {
    return this.request("POST", `/api/flow-runs/${encodeURIComponent(id)}/retry`);
  }

  /** A Paused run (pauseFlowRun) goes Running; its flow carries on within a second. 409 when it is not Paused. */
  resumeFlowRun(id: string): Promise<FlowRunRecord> {
    return this.request("POST", `/api/flow-runs/${encodeURIComponent(id)}/resume`);
  }

  listDeployments(): Promise<DeploymentRecord[]> {
    return this.request("GET", "/api/deployments");
  }

  getDeployment(name: string): Promise<DeploymentRecord> {
    return this.request("GET", `/api/deployments/${encodeURIComponent(name)}`);
  }

  runDeployment(name: string, request: CreateDeploymentRunRequest = {}): Promise<FlowRunRecord> {
    return this.request("POST", `/api/deployments/${encodeURIComponent(name)}/runs`, request);
  }

  pauseDeployment(name: string): Promise<DeploymentRecord> {
    return this.request("POST", `/api/deployments/${encodeURIComponent(name)}/pause`);
  }

  resumeDeployment(name: string): Promise<DeploymentRecord> {
    return this.request("POST", `/api/deployments/${encodeURIComponent(name)}/resume`);
  }

  listAutomations(): Promise<AutomationRecord[]> {
    return this.request("GET", "/api/automations");
  }

  pauseAutomation(name: string): Promise<AutomationRecord> {
    return this.request("POST", `/api/automations/${encodeURIComponent(name)}/pause`);
  }

  resumeAutomation(name: string): Promise<AutomationRecord> {
    return this.request("POST", `/api/automations/${encodeURIComponent(name)}/resume`);
  }

  listEvents(query: { event?: string; resourceId?: string; limit?: number } = {}): Promise<TributaryEvent[]> {
    const params = new URLSearchParams();
    if (query.event !== undefined) params.set("event", query.event);
    if (query.resourceId !== undefined) params.set("resourceId", query.resourceId);
    if (query.limit !== undefined) params.set("limit", String(query.limit));
    const search = params.toString();
    return this.request("GET", `/api/events${search ? `?${search}` : ""}`);
  }

  /** The WebSocket URL of the live event stream. */
  get streamUrl(): string {
    return `${this.url.replace(/^http/, "ws")}/api/events/stream`;
  }

  get authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  async request<T>(method: string, route: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${route}`, {
        method,
        headers: { "content-type": "application/json", ...this.authHeaders },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw new Error(`The orchestration server at ${this.url} did not answer (${(error as Error).message}).`, { cause: error });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      throw new Error(`The orchestration server at ${this.url} answered ${method} ${route} with something that is not JSON (status ${response.status}).`);
    }
    if (!response.ok) {
      const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? `The server answered ${response.status} to ${method} ${route}.`;
      if (response.status === 401) throw new ApiError(401, `The server at ${this.url} refused the token: set TRIBUTARY_API_TOKEN for VS Code to the server's token.`);
      throw response.status < 500 ? new ApiError(response.status, message) : new Error(message);
    }
    return parsed as T;
  }
}
