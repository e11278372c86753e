/** The flow-run routes of the contract, and what a flow-run event says about a run. */
import type { TributaryEvent } from "../orchestrator/contract.js";
import { isFinal } from "../states.js";
import type { FlowRunRecord } from "../store/records.js";
import type { ApiConfig } from "./api-config.js";
import { apiRequest, type QueryValue } from "./api-request.js";

export function getFlowRun(config: ApiConfig, id: string, signal?: AbortSignal): Promise<FlowRunRecord> {
  return apiRequest<FlowRunRecord>(config, "GET", `/api/flow-runs/${encodeURIComponent(id)}`, signal ? { signal } : {});
}

export function listFlowRuns(config: ApiConfig, query: Record<string, QueryValue>, signal?: AbortSignal): Promise<FlowRunRecord[]> {
  return apiRequest<FlowRunRecord[]>(config, "GET", "/api/flow-runs", signal ? { query, signal } : { query });
}

/** The run a `tributary.flow-run.<State>` event carries, when the event is about a run. */
export function runOfEvent(event: TributaryEvent): FlowRunRecord | undefined {
  if (!event.event.startsWith("tributary.flow-run.")) return undefined;
  const run = (event.payload as { flowRun?: unknown }).flowRun;
  return run !== null && typeof run === "object" && typeof (run as FlowRunRecord).id === "string" ? (run as FlowRunRecord) : undefined;
}

/** The run with this id, in a final state, from an event; else undefined. */
export function finalRunOfEvent(event: TributaryEvent, id: string): FlowRunRecord | undefined {
  if (event.resource.id !== `tributary.flow-run.${id}`) return undefined;
  const run = runOfEvent(event);
  return run !== undefined && run.id === id && isFinal(run.state) ? run : undefined;
}
