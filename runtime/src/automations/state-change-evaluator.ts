/** `flow-run-state-change`: fires on every state-change event of a matching run into an expected state. */
import type { TributaryEvent } from "../orchestrator/contract.js";
import { eventFlowRun, flowRunStateName, hasAllTags, stringMatches } from "./event-match.js";
import type { Firing, TriggerEvaluator } from "./trigger-evaluator.js";
import type { FlowRunStateChangeTrigger } from "./trigger-types.js";

export function flowRunStateChangeMatches(trigger: FlowRunStateChangeTrigger, event: TributaryEvent): boolean {
  const stateName = flowRunStateName(event);
  if (stateName === undefined || !(trigger.expect as string[]).includes(stateName)) return false;
  const match = trigger.match ?? {};
  const run = eventFlowRun(event);
  if (match.flow !== undefined && !stringMatches(match.flow, run?.flowName ?? event.resource.flowName)) return false;
  if (match.deployment !== undefined && !stringMatches(match.deployment, event.resource.deploymentName)) return false;
  if (match.tags !== undefined && !hasAllTags(match.tags, run?.tags ?? event.resource.tags)) return false;
  return true;
}

export function createStateChangeEvaluator(trigger: FlowRunStateChangeTrigger, fire: (firing: Firing) => void): TriggerEvaluator {
  return {
    handle(event) {
      if (flowRunStateChangeMatches(trigger, event)) fire({ event });
    },
    close() {},
  };
}
