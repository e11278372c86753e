/** Flow parameters: a plain object of JSON values, checked before the run starts. */
import type { JsonValue } from "../store/records.js";
import { describeNonJson, findNonJson } from "./json-values.js";
import { describeValue } from "./option-checks.js";

/** Why `parameters` are not a plain object of JSON values, naming the bad parameter; undefined when they are. */
export function parameterProblem(flowName: string, parameters: unknown): string | undefined {
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters) || !isPlainObject(parameters)) {
    return `The parameters of flow "${flowName}" must be a plain object of JSON values, got ${describeValue(parameters)}.`;
  }
  for (const key of Object.keys(parameters)) {
    const bad = findNonJson((parameters as Record<string, unknown>)[key], key);
    if (bad !== undefined) {
      const where = bad.path === key ? "" : ` (at \`${bad.path}\`)`;
      return `Parameter \`${key}\` of flow "${flowName}" is not a JSON value${where}: got ${describeNonJson(bad.value)}. Pass strings, finite numbers, booleans, null, arrays and plain objects, or set \`validateParameters: false\`.`;
    }
  }
  return undefined;
}

/** The parameters as they can be stored: JSON values kept, others converted through JSON or described. */
export function storableParameters(parameters: unknown): Record<string, JsonValue> {
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) return {};
  const stored: Record<string, JsonValue> = {};
  for (const key of Object.keys(parameters)) {
    const value = (parameters as Record<string, unknown>)[key];
    if (findNonJson(value) === undefined) {
      stored[key] = value as JsonValue;
      continue;
    }
    try {
      const text = JSON.stringify(value);
      stored[key] = text === undefined ? `<${describeNonJson(value)}>` : (JSON.parse(text) as JsonValue);
    } catch {
      stored[key] = `<${describeNonJson(value)}>`;
    }
  }
  return stored;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
