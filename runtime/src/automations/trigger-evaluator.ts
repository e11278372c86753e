/**
 * The state machine of one trigger. Each evaluator sees every event; when its condition holds it
 * calls `fire` with the event that completed it (none for a Proactive trigger firing on silence).
 * Compound and sequence triggers are evaluators over child evaluators. Windows are measured and
 * timed with the engine's Clock, so tests drive them with a ManualClock.
 */
import type { Clock } from "../engine/clock.js";
import type { TributaryEvent } from "../orchestrator/contract.js";
import type { Trigger } from "./trigger-types.js";
import { createCompositeEvaluator } from "./composite-evaluators.js";
import { createEventEvaluator } from "./event-evaluator.js";
import { createStateChangeEvaluator } from "./state-change-evaluator.js";

/** What fired a trigger; `event` is absent when a Proactive trigger fires because events did not come. */
export interface Firing {
  event?: TributaryEvent;
}

export interface TriggerEvaluator {
  handle(event: TributaryEvent): void;
  /** Stops timers. */
  close(): void;
}

export interface EvaluatorContext {
  clock: Clock;
  /** Reports a timer callback that threw, so it is not lost. */
  onError: (error: unknown) => void;
}

export function createEvaluator(trigger: Trigger, context: EvaluatorContext, fire: (firing: Firing) => void): TriggerEvaluator {
  switch (trigger.type) {
    case "flow-run-state-change":
      return createStateChangeEvaluator(trigger, fire);
    case "event":
      return createEventEvaluator(trigger, context, fire);
    case "compound":
    case "sequence":
      return createCompositeEvaluator(trigger, context, fire, createEvaluator);
  }
}
