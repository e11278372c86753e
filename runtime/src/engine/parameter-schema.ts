/**
 * A flow's parameters checked against its JSON Schema — the schema the analysis reads from the
 * flow's TypeScript types (never by running it) — with ajv. One check for every path: the server
 * refusing a deployment run (422), `tributary run` refusing its input (exit 2) and the engine
 * failing a direct call. Messages name the parameter and the bad value:
 * `Parameter "batchSize" of flow "etl" must be number, got `"abc"` (string).`
 */
import type { default as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import type { JsonValue } from "../store/records.js";
import { describeValue } from "./option-checks.js";

/** The JSON Schema of a flow's parameters: an object schema (`properties`, `required`, …). */
export type ParameterSchema = Record<string, JsonValue>;

// Loaded and made on first use: every flow process loads this module (the runtime's bundle), few
// of them check a schema, and evaluating ajv costs ~40 ms of every process start.
let ajv: AjvClass | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    if (ajv === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (above); esbuild still bundles it
      const { default: Ajv } = require("ajv") as typeof import("ajv");
      ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
    }
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * A sentence describing what is wrong with `parameters`, or undefined when they fit the schema
 * (or there is none). `flowName` is named in the sentence when given.
 */
export function schemaProblem(schema: ParameterSchema | undefined, parameters: Record<string, unknown>, flowName?: string): string | undefined {
  if (schema === undefined) return undefined;
  const validate = validatorOf(schema);
  if (validate(parameters)) return undefined;
  return describe(validate.errors?.[0], flowName);
}

function describe(error: ErrorObject | undefined, flowName: string | undefined): string {
  const ofFlow = flowName === undefined ? "" : ` of flow "${flowName}"`;
  if (!error) return `The parameters${ofFlow} do not match the flow's parameter schema.`;
  if (error.keyword === "required") {
    return `Missing required parameter "${(error.params as { missingProperty: string }).missingProperty}"${ofFlow}.`;
  }
  if (error.keyword === "additionalProperties") {
    return `Unknown parameter "${(error.params as { additionalProperty: string }).additionalProperty}": the flow${flowName === undefined ? "" : ` "${flowName}"`} does not take it.`;
  }
  const name = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const expected = error.keyword === "enum" ? `one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : (error.message ?? "valid");
  const what = expected.startsWith("must ") ? expected : `must be ${expected}`;
  const got = `, got ${describeValue(error.data)}`;
  return name === "" ? `The parameters${ofFlow} ${what}${got}.` : `Parameter "${name}"${ofFlow} ${what}${got}.`;
}

/**
 * The value of a `--param name=text` for a flow with this schema: the JSON the text parses as
 * when that fits the parameter's schema (`n=5` for a number, `on=true` for a boolean, `ids=[1,2]`),
 * else the text itself when a string fits (`name=5` for a string stays "5"), else what it parses
 * as (so that the check names the bad value). Without a schema for the parameter: JSON when the
 * text parses as JSON, else the text.
 */
export function coerceParameterText(schema: ParameterSchema | undefined, name: string, text: string): JsonValue {
  let parsed: { value: JsonValue } | undefined;
  try {
    parsed = { value: JSON.parse(text) as JsonValue };
  } catch {
    parsed = undefined;
  }
  const property = propertySchema(schema, name);
  if (property === undefined) return parsed === undefined ? text : parsed.value;
  const fits = validatorOf(property);
  if (parsed !== undefined && fits(parsed.value)) return parsed.value;
  if (fits(text)) return text;
  return parsed === undefined ? text : parsed.value;
}

function propertySchema(schema: ParameterSchema | undefined, name: string): object | undefined {
  const properties = schema?.properties;
  if (properties === null || typeof properties !== "object" || Array.isArray(properties)) return undefined;
  const property = (properties as Record<string, JsonValue>)[name];
  return property !== null && typeof property === "object" && !Array.isArray(property) && Object.hasOwn(properties, name) ? property : undefined;
}

/** `n (number), label? (string)`: what a flow with this schema takes, for messages. */
export function describeParameters(schema: ParameterSchema): string {
  const properties = schema.properties;
  if (properties === null || typeof properties !== "object" || Array.isArray(properties)) return "any parameters";
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const names = Object.keys(properties);
  if (names.length === 0) return "no parameters";
  return names.map((name) => `${name}${required.has(name) ? "" : "?"} (${typeName((properties as Record<string, JsonValue>)[name])})`).join(", ");
}

function typeName(schema: JsonValue | undefined): string {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return "any";
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(typeName).join(" | ");
  return "any";
}
