/**
 * The trigger objects of `automation(...)` (and of a deployment's `triggers`): what has to happen
 * for an automation to act. They are plain JSON so that they can be registered with the server,
 * stored, and read by the static analysis without running user code.
 */
import type { StateName } from "../states.js";

/** One value or a list of them; strings may hold `*` wildcards (`"etl-*"`). */
export type StringMatch = string | string[];

/**
 * Fires when a flow run enters one of the `expect` states.
 *
 * @example
 * { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] }
 */
export interface FlowRunStateChangeTrigger {
  type: "flow-run-state-change";
  /**
   * Which runs count. Every field given must match; `*` wildcards are allowed in names.
   * @default {} (every flow run)
   * @example { flow: "upstream-flow", deployment: "upstream-flow/nightly", tags: ["etl"] }
   */
  match?: {
    /** The flow's name. */
    flow?: StringMatch;
    /** The deployment's name, `"<flow-name>/<deployment name>"`. */
    deployment?: StringMatch;
    /** Tags the run must all carry. */
    tags?: string[];
  };
  /**
   * The state names that fire the trigger.
   * @example ["Completed"]
   * @example ["Failed", "Crashed", "TimedOut"]
   */
  expect: StateName[];
}

/**
 * Fires on events (Prefect's event trigger). Reactive: when `threshold` matching events arrive
 * (within `within` seconds when given). Proactive: when fewer than `threshold` arrive within a
 * window of `within` seconds (the window opens at an `after` event, or runs continuously without).
 *
 * @example
 * { type: "event", match: { event: "acme.order.*", id: "shop-*" }, threshold: 5, within: 60 }
 * @example
 * { type: "event", posture: "Proactive", expect: ["acme.heartbeat"], threshold: 1, within: 300 }
 */
export interface EventTrigger {
  type: "event";
  /**
   * `event` matches the event's name; every other key matches the field of the event's resource
   * with that name (`id`, `name`, `flowName`, `deploymentName`, `tags` — all listed tags present —
   * or a label of your own). `*` wildcards are allowed.
   * @default {} (every event)
   * @example { event: "tributary.flow-run.*", flowName: "etl" }
   */
  match?: { event?: StringMatch; [resourceField: string]: StringMatch | undefined };
  /**
   * Names of the events that count (wildcards allowed); absent = every event that `match` lets through.
   * @default undefined
   * @example ["acme.order.placed", "acme.order.updated"]
   */
  expect?: string[];
  /**
   * Names of events one of which must be seen first: expected events count only after it
   * (Reactive), or it opens the window (Proactive). After firing, another `after` event is needed.
   * @default undefined
   * @example ["acme.batch.started"]
   */
  after?: string[];
  /**
   * `"Reactive"`: fire when the events arrive. `"Proactive"`: fire when they do not.
   * @default "Reactive"
   * @example "Proactive"
   */
  posture?: "Reactive" | "Proactive";
  /**
   * How many events make the trigger fire (Reactive), or the least number expected in a window
   * (Proactive).
   * @default 1
   * @example 10
   */
  threshold?: number;
  /**
   * The window in seconds. Reactive: the `threshold` events must fall within it (absent = no limit).
   * Proactive: required.
   * @default undefined
   * @example 300
   */
  within?: number;
}

/**
 * Fires when enough of its triggers have fired within a window.
 *
 * @example
 * { type: "compound", require: "all", within: 3600, triggers: [
 *   { type: "flow-run-state-change", match: { flow: "orders" }, expect: ["Completed"] },
 *   { type: "flow-run-state-change", match: { flow: "customers" }, expect: ["Completed"] } ] }
 */
export interface CompoundTrigger {
  type: "compound";
  /**
   * `"any"`, `"all"`, or how many of `triggers` must fire.
   * @example "all"
   * @example 2
   */
  require: "any" | "all" | number;
  /**
   * The triggers combined.
   * @example [{ type: "event", expect: ["a"] }, { type: "event", expect: ["b"] }]
   */
  triggers: Trigger[];
  /**
   * Seconds within which the required triggers must all have fired.
   * @default undefined (no limit)
   * @example 3600
   */
  within?: number;
}

/**
 * Fires when its triggers fire in the order given.
 *
 * @example
 * { type: "sequence", within: 600, triggers: [
 *   { type: "event", expect: ["acme.upload.started"] },
 *   { type: "event", expect: ["acme.upload.finished"] } ] }
 */
export interface SequenceTrigger {
  type: "sequence";
  /**
   * The triggers, in the order they must fire.
   * @example [{ type: "event", expect: ["a"] }, { type: "event", expect: ["b"] }]
   */
  triggers: Trigger[];
  /**
   * Seconds from the first trigger firing within which the last must fire.
   * @default undefined (no limit)
   * @example 600
   */
  within?: number;
}

export type Trigger = FlowRunStateChangeTrigger | EventTrigger | CompoundTrigger | SequenceTrigger;

export const TRIGGER_TYPES = ["flow-run-state-change", "event", "compound", "sequence"] as const;
