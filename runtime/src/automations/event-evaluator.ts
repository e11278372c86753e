/**
 * `event` triggers. Reactive: fire when `threshold` expected events have arrived (within `within`
 * seconds of each other when given), after an `after` event when one is named. Proactive: fire when
 * fewer than `threshold` expected events arrive in a window of `within` seconds; the window opens at
 * an `after` event, or, without `after`, windows follow one another from the moment the automation
 * is loaded.
 */
import type { TributaryEvent } from "../orchestrator/contract.js";
import { hasAllTags, stringMatches, wildcardMatches } from "./event-match.js";
import type { EvaluatorContext, Firing, TriggerEvaluator } from "./trigger-evaluator.js";
import type { EventTrigger } from "./trigger-types.js";

function resourceMatches(trigger: EventTrigger, event: TributaryEvent): boolean {
  for (const [field, pattern] of Object.entries(trigger.match ?? {})) {
    if (field === "event" || pattern === undefined) continue;
    const value = event.resource[field];
    if (field === "tags" ? !hasAllTags(pattern, value) : !stringMatches(pattern, value)) return false;
  }
  return true;
}

function nameIn(names: string[] | undefined, event: TributaryEvent): boolean {
  return names !== undefined && names.some((pattern) => wildcardMatches(pattern, event.event));
}

/** Whether an event counts towards the trigger (its name and resource match). */
export function isExpectedEvent(trigger: EventTrigger, event: TributaryEvent): boolean {
  const eventPattern = trigger.match?.event;
  if (eventPattern !== undefined && !stringMatches(eventPattern, event.event)) return false;
  if (trigger.expect !== undefined && !nameIn(trigger.expect, event)) return false;
  return resourceMatches(trigger, event);
}

function isAfterEvent(trigger: EventTrigger, event: TributaryEvent): boolean {
  return nameIn(trigger.after, event) && resourceMatches(trigger, event);
}

export function createEventEvaluator(trigger: EventTrigger, context: EvaluatorContext, fire: (firing: Firing) => void): TriggerEvaluator {
  return trigger.posture === "Proactive" ? proactive(trigger, context, fire) : reactive(trigger, context, fire);
}

function reactive(trigger: EventTrigger, { clock }: EvaluatorContext, fire: (firing: Firing) => void): TriggerEvaluator {
  const threshold = trigger.threshold ?? 1;
  const windowMs = trigger.within === undefined ? undefined : trigger.within * 1000;
  let armed = trigger.after === undefined;
  let arrivals: number[] = [];
  return {
    handle(event) {
      if (!armed) {
        armed = isAfterEvent(trigger, event);
        return;
      }
      if (!isExpectedEvent(trigger, event)) return;
      const now = clock.now().getTime();
      arrivals.push(now);
      if (windowMs !== undefined) arrivals = arrivals.filter((at) => now - at <= windowMs);
      if (arrivals.length < threshold) return;
      arrivals = [];
      armed = trigger.after === undefined;
      fire({ event });
    },
    close() {},
  };
}

interface Window {
  openedBy?: TributaryEvent;
  count: number;
  controller: AbortController;
}

function proactive(trigger: EventTrigger, context: EvaluatorContext, fire: (firing: Firing) => void): TriggerEvaluator {
  const threshold = trigger.threshold ?? 1;
  const windowMs = (trigger.within ?? 0) * 1000;
  const continuous = trigger.after === undefined;
  let window: Window | undefined;
  let closed = false;

  const open = (openedBy?: TributaryEvent) => {
    const current: Window = { count: 0, controller: new AbortController() };
    if (openedBy !== undefined) current.openedBy = openedBy;
    window = current;
    context.clock.sleep(windowMs, current.controller.signal).then(
      () => {
        if (closed || window !== current) return;
        window = undefined;
        try {
          if (current.count < threshold) fire(current.openedBy === undefined ? {} : { event: current.openedBy });
        } catch (error) {
          context.onError(error);
        }
        if (continuous && !closed) open();
      },
      () => undefined, // aborted: the window was closed early or the automation was unloaded
    );
  };

  if (continuous) open();
  return {
    handle(event) {
      if (window === undefined) {
        if (!continuous && isAfterEvent(trigger, event)) open(event);
        return;
      }
      if (!isExpectedEvent(trigger, event)) return;
      window.count++;
      // With `after`, a window that got its events is done: the next `after` opens a new one.
      if (!continuous && window.count >= threshold) {
        window.controller.abort();
        window = undefined;
      }
    },
    close() {
      closed = true;
      window?.controller.abort();
      window = undefined;
    },
  };
}
