/**
 * Parameters of a deployment run checked against the flow's JSON Schema (when the deployment has
 * one), with ajv. The message names the parameter, like `Parameter "batchSize" must be number`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { JsonValue } from "../store/records.js";

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** A sentence describing what is wrong with `parameters`, or undefined when they fit the schema. */
export function parameterProblem(schema: Record<string, JsonValue> | undefined, parameters: Record<string, JsonValue>): string | undefined {
  if (schema === undefined) return undefined;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(parameters)) return undefined;
  return describe(validate.errors?.[0]);
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return "The parameters do not match the flow's parameter schema.";
  if (error.keyword === "required") {
    return `Missing required parameter "${(error.params as { missingProperty: string }).missingProperty}".`;
  }
  if (error.keyword === "additionalProperties") {
    return `Unknown parameter "${(error.params as { additionalProperty: string }).additionalProperty}": the flow does not take it.`;
  }
  const name = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  return name === "" ? `The parameters ${error.message ?? "are not valid"}.` : `Parameter "${name}" ${error.message ?? "is not valid"}.`;
}
