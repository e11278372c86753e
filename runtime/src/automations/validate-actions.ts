/** Validation of action objects at declaration and when the engine loads stored automations. */
import { findNonJson } from "../engine/json-values.js";
import { JsonChecker } from "./json-checker.js";
import { ACTION_TYPES, type AutomationAction } from "./action-types.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * Throws an InvalidOptionError naming the bad value when `actions` is not a non-empty list of valid actions.
 *
 * @example validateActions(options.actions, `automation "notify"`);
 */
export function validateActions(actions: unknown, owner: string, path = "actions"): asserts actions is AutomationAction[] {
  const check: JsonChecker = new JsonChecker(owner);
  if (!Array.isArray(actions) || actions.length === 0) check.fail(path, "a non-empty array of actions", actions);
  actions.forEach((action, i) => checkAction(check, `${path}[${i}]`, action));
}

function checkAction(check: JsonChecker, path: string, value: unknown): void {
  const action = check.object(path, value);
  const type = check.oneOf(`${path}.type`, action.type, ACTION_TYPES);
  switch (type) {
    case "run-deployment": {
      check.onlyKnown(path, action, ["type", "deployment", "parameters"]);
      checkDeploymentName(check, `${path}.deployment`, action.deployment);
      if (action.parameters !== undefined) {
        check.object(`${path}.parameters`, action.parameters);
        checkJson(check, `${path}.parameters`, action.parameters);
      }
      return;
    }
    case "pause-deployment":
    case "resume-deployment":
      check.onlyKnown(path, action, ["type", "deployment"]);
      if (action.deployment !== undefined) checkDeploymentName(check, `${path}.deployment`, action.deployment);
      return;
    case "cancel-flow-run":
      check.onlyKnown(path, action, ["type", "flowRunId"]);
      check.optionalString(`${path}.flowRunId`, action.flowRunId);
      return;
    case "pause-automation":
    case "resume-automation":
      check.onlyKnown(path, action, ["type", "automation"]);
      check.optionalString(`${path}.automation`, action.automation);
      return;
    case "call-webhook": {
      check.onlyKnown(path, action, ["type", "url", "method", "headers", "body"]);
      const url = check.nonEmptyString(`${path}.url`, action.url);
      if (!url.includes("{{") && !/^https?:\/\//.test(url)) check.fail(`${path}.url`, "an http:// or https:// URL", url);
      if (action.method !== undefined) check.oneOf(`${path}.method`, action.method, METHODS);
      if (action.headers !== undefined) {
        const headers = check.object(`${path}.headers`, action.headers);
        for (const [name, header] of Object.entries(headers)) {
          if (typeof header !== "string") check.fail(`${path}.headers.${name}`, "a string", header);
        }
      }
      if (action.body !== undefined) checkJson(check, `${path}.body`, action.body);
      return;
    }
  }
}

function checkDeploymentName(check: JsonChecker, path: string, value: unknown): void {
  const name = check.nonEmptyString(path, value);
  if (!name.includes("{{") && !/^[^/]+\/[^/]+$/.test(name)) {
    check.fail(path, 'a deployment name "<flow-name>/<deployment name>"', name);
  }
}

function checkJson(check: JsonChecker, path: string, value: unknown): void {
  const bad = findNonJson(value);
  if (bad) check.fail(bad.path === "" ? path : `${path}.${bad.path}`, "a JSON value", bad.value);
}
