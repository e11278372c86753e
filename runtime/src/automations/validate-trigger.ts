/**
 * Validation of trigger objects at declaration (`automation(...)`, a deployment's `triggers`) and
 * when the engine loads stored automations.
 */
import { InvalidOptionError } from "../errors.js";
import { describeValue } from "../engine/option-checks.js";
import { STATE_NAMES, isStateName } from "../states.js";
import { JsonChecker } from "./json-checker.js";
import { TRIGGER_TYPES, type Trigger } from "./trigger-types.js";

const STATE_LIST = Object.keys(STATE_NAMES).join(", ");

/**
 * Throws an InvalidOptionError naming the bad value when `trigger` is not a valid trigger.
 *
 * @param owner who the trigger belongs to, for messages: `automation "notify"`.
 * @example validateTrigger(options.triggers[0], `the triggers of deployment "etl/nightly"`, "triggers[0]");
 */
export function validateTrigger(trigger: unknown, owner: string, path = "trigger"): asserts trigger is Trigger {
  checkTrigger(new JsonChecker(owner), path, trigger);
}

function checkTrigger(check: JsonChecker, path: string, value: unknown): void {
  const trigger = check.object(path, value);
  const type = check.oneOf(`${path}.type`, trigger.type, TRIGGER_TYPES);
  switch (type) {
    case "flow-run-state-change":
      return checkStateChange(check, path, trigger);
    case "event":
      return checkEvent(check, path, trigger);
    case "compound":
    case "sequence":
      return checkComposite(check, path, trigger, type);
  }
}

function checkStateChange(check: JsonChecker, path: string, trigger: Record<string, unknown>): void {
  check.onlyKnown(path, trigger, ["type", "match", "expect"]);
  if (trigger.match !== undefined) {
    const match = check.object(`${path}.match`, trigger.match);
    check.onlyKnown(`${path}.match`, match, ["flow", "deployment", "tags"]);
    if (match.flow !== undefined) check.stringMatch(`${path}.match.flow`, match.flow);
    if (match.deployment !== undefined) check.stringMatch(`${path}.match.deployment`, match.deployment);
    if (match.tags !== undefined) check.stringList(`${path}.match.tags`, match.tags);
  }
  if (!Array.isArray(trigger.expect) || trigger.expect.length === 0) {
    check.fail(`${path}.expect`, `a non-empty array of state names (${STATE_LIST})`, trigger.expect);
  }
  trigger.expect.forEach((name: unknown, i: number) => {
    if (!isStateName(name)) check.fail(`${path}.expect[${i}]`, `a state name (${STATE_LIST})`, name);
  });
}

function checkEvent(check: JsonChecker, path: string, trigger: Record<string, unknown>): void {
  check.onlyKnown(path, trigger, ["type", "match", "expect", "after", "posture", "threshold", "within"]);
  if (trigger.match !== undefined) {
    const match = check.object(`${path}.match`, trigger.match);
    for (const [field, pattern] of Object.entries(match)) check.stringMatch(`${path}.match.${field}`, pattern);
  }
  if (trigger.expect !== undefined) check.stringList(`${path}.expect`, trigger.expect, { nonEmpty: true });
  if (trigger.after !== undefined) check.stringList(`${path}.after`, trigger.after, { nonEmpty: true });
  const posture = trigger.posture === undefined ? "Reactive" : check.oneOf(`${path}.posture`, trigger.posture, ["Reactive", "Proactive"]);
  check.positiveInteger(`${path}.threshold`, trigger.threshold);
  check.positiveNumber(`${path}.within`, trigger.within);
  if (posture === "Proactive" && trigger.within === undefined) {
    throw new InvalidOptionError(
      `A Proactive trigger needs \`${path}.within\`, the window in seconds in which at least \`threshold\` events are expected — in ${check.owner}.`,
    );
  }
}

function checkComposite(check: JsonChecker, path: string, trigger: Record<string, unknown>, type: "compound" | "sequence"): void {
  check.onlyKnown(path, trigger, type === "compound" ? ["type", "require", "triggers", "within"] : ["type", "triggers", "within"]);
  if (!Array.isArray(trigger.triggers) || trigger.triggers.length === 0) {
    check.fail(`${path}.triggers`, "a non-empty array of triggers", trigger.triggers);
  }
  const children = trigger.triggers as unknown[];
  children.forEach((child, i) => checkTrigger(check, `${path}.triggers[${i}]`, child));
  check.positiveNumber(`${path}.within`, trigger.within);
  if (type === "compound") {
    const require = trigger.require;
    if (require === "any" || require === "all") return;
    if (typeof require === "number" && Number.isInteger(require) && require >= 1 && require <= children.length) return;
    throw new InvalidOptionError(
      `Expected \`${path}.require\` to be "any", "all" or a whole number from 1 to ${children.length} (the number of triggers), got ${describeValue(require)} — in ${check.owner}.`,
    );
  }
}
