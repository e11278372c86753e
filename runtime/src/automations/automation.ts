/**
 * `automation(name, { trigger, actions, enabled })`: declares an automation. Declaring only records
 * it (registry.ts); `tributary deploy` and `tributary run` register it with the server, whose
 * automation engine evaluates the trigger and performs the actions.
 */
import { InvalidOptionError } from "../errors.js";
import type { Declaration } from "../declarations/registry.js";
import { declare } from "../declarations/registry.js";
import { describeValue, OptionChecker } from "../engine/option-checks.js";
import type { AutomationAction } from "./action-types.js";
import type { Trigger } from "./trigger-types.js";
import { validateActions } from "./validate-actions.js";
import { validateTrigger } from "./validate-trigger.js";

export interface AutomationOptions {
  /**
   * What has to happen: a flow run entering a state, events (or their absence), or a compound or
   * sequence of those.
   * @example { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] }
   */
  trigger: Trigger;
  /**
   * What to do, in order, each time the trigger fires.
   * @example [{ type: "run-deployment", deployment: "downstream-flow/downstream-processing",
   *             parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" } }]
   */
  actions: AutomationAction[];
  /**
   * Whether the automation acts once registered (`tributary automation pause|resume` changes it).
   * @default true
   * @example automation("page-on-failure", { enabled: false, trigger, actions })
   */
  enabled?: boolean;
}

/** A declared automation, as `tributary deploy` registers it. */
export interface Automation extends Declaration {
  readonly kind: "automation";
  readonly name: string;
  readonly trigger: Trigger;
  readonly actions: AutomationAction[];
  readonly enabled: boolean;
}

/**
 * Declares an automation: when `trigger` fires, `actions` run.
 * Bad triggers and actions throw an InvalidOptionError naming the bad value.
 *
 * @example
 * export const downstreamAfterUpstream = automation("downstream-after-upstream", {
 *   trigger: { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] },
 *   actions: [{ type: "run-deployment", deployment: "downstream-flow/downstream-processing",
 *               parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" } }],
 * });
 */
export function automation(name: string, options: AutomationOptions): Automation {
  if (typeof name !== "string" || name.trim() === "") {
    throw new InvalidOptionError(`Expected the name of an automation to be a non-empty string, got ${describeValue(name)}.`);
  }
  const owner = `automation "${name}"`;
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`Expected the options of ${owner} to be an object with \`trigger\` and \`actions\`, got ${describeValue(options)}.`);
  }
  const checker = new OptionChecker(owner, options as unknown as Record<string, unknown>);
  checker.onlyKnown(["trigger", "actions", "enabled"]);
  checker.boolean("enabled");
  validateTrigger(options.trigger, owner);
  validateActions(options.actions, owner);
  // A copy through JSON: what is registered is exactly what the server will store.
  const declared: Automation = {
    kind: "automation",
    name,
    trigger: JSON.parse(JSON.stringify(options.trigger)) as Trigger,
    actions: JSON.parse(JSON.stringify(options.actions)) as AutomationAction[],
    enabled: options.enabled ?? true,
  };
  return declare(Object.freeze(declared));
}
