/** Matching events against trigger patterns: names with `*` wildcards and resource fields. */
import type { FlowRunEventPayload, TributaryEvent } from "../orchestrator/contract.js";
import type { FlowRunRecord } from "../store/records.js";
import type { StringMatch } from "./trigger-types.js";

const FLOW_RUN_EVENT_PREFIX = "tributary.flow-run.";
const patternCache = new Map<string, RegExp>();

/** `"etl-*"` matches `"etl-nightly"`; without `*` the match is exact. */
export function wildcardMatches(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    regex = new RegExp(`^${source}$`);
    patternCache.set(pattern, regex);
  }
  return regex.test(value);
}

/** Whether `value` matches the pattern, or any of the patterns of a list. */
export function stringMatches(match: StringMatch, value: unknown): boolean {
  if (typeof value !== "string") return false;
  return typeof match === "string" ? wildcardMatches(match, value) : match.some((pattern) => wildcardMatches(pattern, value));
}

/** Every wanted tag is among `tags`. */
export function hasAllTags(wanted: StringMatch, tags: unknown): boolean {
  if (!Array.isArray(tags)) return false;
  const list = typeof wanted === "string" ? [wanted] : wanted;
  return list.every((tag) => tags.some((t) => typeof t === "string" && wildcardMatches(tag, t)));
}

/** The state name of a flow-run state-change event (`tributary.flow-run.Completed` → `Completed`). */
export function flowRunStateName(event: TributaryEvent): string | undefined {
  return event.event.startsWith(FLOW_RUN_EVENT_PREFIX) ? event.event.slice(FLOW_RUN_EVENT_PREFIX.length) : undefined;
}

/** The flow run an event is about: the run in a state-change payload. */
export function eventFlowRun(event: TributaryEvent | undefined): FlowRunRecord | undefined {
  const flowRun = (event?.payload as Partial<FlowRunEventPayload> | undefined)?.flowRun;
  return flowRun !== null && typeof flowRun === "object" ? flowRun : undefined;
}

/** The id of the flow run an event is about, from its payload or its resource id (`tributary.flow-run.<id>`). */
export function eventFlowRunId(event: TributaryEvent | undefined): string | undefined {
  const run = eventFlowRun(event);
  if (run) return run.id;
  const id = event?.resource.id;
  return id?.startsWith(FLOW_RUN_EVENT_PREFIX) ? id.slice(FLOW_RUN_EVENT_PREFIX.length) : undefined;
}
