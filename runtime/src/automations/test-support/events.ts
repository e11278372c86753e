/** Events as the server publishes them, for automation tests. */
import { randomUUID } from "node:crypto";
import type { CausalLink, EventResource, TributaryEvent } from "../../orchestrator/contract.js";
import { makeState, type StateName } from "../../states.js";
import type { AutomationRecord } from "../../orchestrator/contract.js";
import type { FlowRunRecord, JsonValue } from "../../store/records.js";
import type { AutomationAction } from "../action-types.js";
import type { Trigger } from "../trigger-types.js";

let counter = 0;

export function flowRunEvent(
  flowName: string,
  stateName: StateName,
  options: { id?: string; result?: JsonValue; parameters?: Record<string, JsonValue>; tags?: string[]; deploymentName?: string; chain?: CausalLink[] } = {},
): TributaryEvent {
  const id = options.id ?? `run-${++counter}`;
  const state = makeState(stateName, new Date("2024-01-01T00:00:00Z"));
  const flowRun: FlowRunRecord = {
    id,
    name: `${flowName}-run-${counter}`,
    flowName,
    state,
    parameters: options.parameters ?? {},
    tags: options.tags ?? [],
    runCount: 1,
    createdAt: state.timestamp,
  };
  if (options.result !== undefined) flowRun.result = options.result;
  const resource: EventResource = { id: `tributary.flow-run.${id}`, name: flowRun.name, flowName, tags: flowRun.tags };
  if (options.deploymentName !== undefined) resource.deploymentName = options.deploymentName;
  const event: TributaryEvent = {
    id: randomUUID(),
    occurred: state.timestamp,
    event: `tributary.flow-run.${stateName}`,
    resource,
    payload: { flowRun: flowRun as unknown as JsonValue, state: { type: state.type, name: state.name } },
  };
  if (options.chain) event.chain = options.chain;
  return event;
}

export function customEvent(name: string, resource: Partial<EventResource> = {}, payload: Record<string, JsonValue> = {}): TributaryEvent {
  return { id: randomUUID(), occurred: new Date().toISOString(), event: name, resource: { id: "acme.thing", ...resource }, payload };
}

export function automationRecord(name: string, trigger: Trigger, actions: AutomationAction[], enabled = true): AutomationRecord {
  const now = "2024-01-01T00:00:00.000Z";
  return { id: `id-${name}`, name, trigger: trigger as unknown as JsonValue, actions: actions as unknown as JsonValue[], enabled, createdAt: now, updatedAt: now };
}
