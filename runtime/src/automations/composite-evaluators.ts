/**
 * `compound` (enough of its triggers fired within a window) and `sequence` (its triggers fired in
 * order within a window), over child evaluators.
 */
import type { CompoundTrigger, SequenceTrigger, Trigger } from "./trigger-types.js";
import type { EvaluatorContext, Firing, TriggerEvaluator } from "./trigger-evaluator.js";

type CreateEvaluator = (trigger: Trigger, context: EvaluatorContext, fire: (firing: Firing) => void) => TriggerEvaluator;

export function createCompositeEvaluator(
  trigger: CompoundTrigger | SequenceTrigger,
  context: EvaluatorContext,
  fire: (firing: Firing) => void,
  createChild: CreateEvaluator,
): TriggerEvaluator {
  const onChild = trigger.type === "compound" ? compound(trigger, context, fire) : sequence(trigger, context, fire);
  const children = trigger.triggers.map((child, i) => createChild(child, context, (firing) => onChild(i, firing)));
  return {
    handle(event) {
      for (const child of children) child.handle(event);
    },
    close() {
      for (const child of children) child.close();
    },
  };
}

function windowMs(trigger: { within?: number }): number | undefined {
  return trigger.within === undefined ? undefined : trigger.within * 1000;
}

function compound(trigger: CompoundTrigger, { clock }: EvaluatorContext, fire: (firing: Firing) => void) {
  const required = trigger.require === "any" ? 1 : trigger.require === "all" ? trigger.triggers.length : trigger.require;
  const within = windowMs(trigger);
  /** When each child last fired. */
  const firedAt = new Map<number, number>();
  return (index: number, firing: Firing) => {
    const now = clock.now().getTime();
    firedAt.set(index, now);
    if (within !== undefined) {
      for (const [child, at] of firedAt) if (now - at > within) firedAt.delete(child);
    }
    if (firedAt.size < required) return;
    firedAt.clear();
    fire(firing);
  };
}

function sequence(trigger: SequenceTrigger, { clock }: EvaluatorContext, fire: (firing: Firing) => void) {
  const within = windowMs(trigger);
  let next = 0;
  let startedAt = 0;
  return (index: number, firing: Firing) => {
    const now = clock.now().getTime();
    if (next > 0 && within !== undefined && now - startedAt > within) next = 0;
    // Out of order: ignored, the sequence keeps waiting for its next step.
    if (index !== next) return;
    if (index === 0) startedAt = now;
    next++;
    if (next < trigger.triggers.length) return;
    next = 0;
    fire(firing);
  };
}
