/**
 * The automation engine: a pure state machine over the event stream. The server gives it the
 * registered automations (`setAutomations`) and every event (`handleEvent`); the engine evaluates
 * triggers, keeps windows on the Clock, and acts through the AutomationActions port.
 */
import { systemClock, type Clock } from "../engine/clock.js";
import type { AutomationRecord, CausalLink, TributaryEvent } from "../orchestrator/contract.js";
import type { AutomationAction } from "./action-types.js";
import type { AutomationActions } from "./automation-actions.js";
import { chainOfEvent, checkMaxChainRepeats, DEFAULT_MAX_CHAIN_REPEATS, describeChain, visits } from "./causal-chain.js";
import { performActions, type ActionFiring } from "./perform-actions.js";
import { createEvaluator, type Firing, type TriggerEvaluator } from "./trigger-evaluator.js";
import { validateActions } from "./validate-actions.js";
import { validateTrigger } from "./validate-trigger.js";

export interface AutomationEngineOptions {
  /**
   * What the engine acts through: the server's implementation of the port.
   * @example createAutomationEngine({ actions: serverActions(store, events) })
   */
  actions: AutomationActions;
  /**
   * The clock windows (`within`, Proactive triggers) are measured and timed with.
   * @default the system clock
   * @example createAutomationEngine({ actions, clock: new ManualClock() })
   */
  clock?: Clock;
  /**
   * How many times one causal chain may visit the same deployment (or automation) before the
   * engine refuses to go on (the runtime loop guard).
   * @default 3
   * @example createAutomationEngine({ actions, maxChainRepeats: 5 })
   */
  maxChainRepeats?: number;
}

export interface AutomationEngine {
  /**
   * Replaces the automations the engine evaluates. Disabled ones are dropped; an automation whose
   * trigger did not change keeps its progress (counts, open windows). Invalid records are logged and skipped.
   */
  setAutomations(records: readonly AutomationRecord[]): void;
  /** Evaluates one event; resolves when the actions it caused have been performed. */
  handleEvent(event: TributaryEvent): Promise<void>;
  /** Resolves when every action started so far (by events or timers) has been performed. */
  idle(): Promise<void>;
  /** Stops every timer; events are ignored afterwards. */
  close(): void;
}

interface Loaded {
  record: AutomationRecord;
  triggerKey: string;
  actions: AutomationAction[];
  evaluator: TriggerEvaluator;
}

/**
 * @example
 * const engine = createAutomationEngine({ actions, clock });
 * engine.setAutomations(await store.listAutomations());
 * eventBus.subscribe((event) => void engine.handleEvent(event));
 */
export function createAutomationEngine(options: AutomationEngineOptions): AutomationEngine {
  const { actions } = options;
  const clock = options.clock ?? systemClock;
  const maxChainRepeats = checkMaxChainRepeats(options.maxChainRepeats ?? DEFAULT_MAX_CHAIN_REPEATS);
  const loaded = new Map<string, Loaded>();
  const pending = new Set<Promise<void>>();
  /** Actions started by the event being handled, so handleEvent can wait for them. */
  let batch: Promise<void>[] | undefined;
  let closed = false;

  const onError = (error: unknown) => actions.log("error", `Automation engine: ${error instanceof Error ? error.message : String(error)}`);

  const track = (work: Promise<void>) => {
    const tracked = work.catch(onError).finally(() => pending.delete(tracked));
    pending.add(tracked);
    batch?.push(tracked);
  };

  const fired = (id: string, firing: Firing) => {
    const entry = loaded.get(id);
    if (closed || entry === undefined) return;
    const automation = { id: entry.record.id, name: entry.record.name };
    const chain: CausalLink[] = [...chainOfEvent(firing.event), { kind: "automation", ...automation }];
    track(act(entry.actions, { automation, event: firing.event, chain }));
  };

  const act = async (list: AutomationAction[], firing: ActionFiring) => {
    const { automation, event, chain } = firing;
    const resource = { id: `tributary.automation.${automation.id}`, name: automation.name };
    const related = event ? [event.resource] : [];
    if (visits(chain, "automation", automation.name) > maxChainRepeats) {
      const reason = `Automation "${automation.name}" did not act: it is already ${maxChainRepeats} times in the chain that led here (${describeChain(chain.slice(0, -1))}). This looks like an automation that triggers itself.`;
      actions.log("warning", reason);
      // Refusals caused by automation events are only logged, or a wildcard trigger would refuse forever.
      if (!event?.event.startsWith("tributary.automation.")) {
        await actions.emitEvent({ event: "tributary.automation.refused", resource, related, payload: { reason, maxChainRepeats }, chain });
      }
      return;
    }
    try {
      await actions.emitEvent({
        event: "tributary.automation.triggered",
        resource,
        related,
        payload: event ? { triggeringEvent: event.event, triggeringEventId: event.id } : { posture: "Proactive" },
        chain,
      });
    } catch (error) {
      // Not being able to record that it fired must not keep the automation from acting.
      onError(error);
    }
    await performActions(list, firing, { actions, maxChainRepeats });
  };

  return {
    setAutomations(records) {
      const keep = new Set<string>();
      for (const record of records) {
        if (!record.enabled) continue;
        const owner = `automation "${record.name}"`;
        try {
          validateTrigger(record.trigger, owner);
          validateActions(record.actions, owner);
        } catch (error) {
          actions.log("error", `Skipping ${owner}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        keep.add(record.id);
        const triggerKey = JSON.stringify(record.trigger);
        const existing = loaded.get(record.id);
        if (existing && existing.triggerKey === triggerKey) {
          Object.assign(existing, { record, actions: record.actions });
          continue;
        }
        existing?.evaluator.close();
        const evaluator = createEvaluator(record.trigger, { clock, onError }, (firing) => fired(record.id, firing));
        loaded.set(record.id, { record, triggerKey, actions: record.actions, evaluator });
      }
      for (const [id, entry] of loaded) {
        if (keep.has(id)) continue;
        entry.evaluator.close();
        loaded.delete(id);
      }
    },

    async handleEvent(event) {
      if (closed) return;
      const started: Promise<void>[] = [];
      batch = started;
      try {
        for (const entry of loaded.values()) {
          try {
            entry.evaluator.handle(event);
          } catch (error) {
            onError(error);
          }
        }
      } finally {
        batch = undefined;
      }
      await Promise.all(started);
    },

    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    close() {
      closed = true;
      for (const entry of loaded.values()) entry.evaluator.close();
      loaded.clear();
    },
  };
}
