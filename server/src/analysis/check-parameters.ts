import { closestNames, didYouMean } from "./did-you-mean.js";
import { findingAt, type DraftFinding } from "./finding.js";
import type { JsonSchema } from "./json-schema.js";
import { placeIn } from "./read-name.js";
import type { FileLoc } from "./source-location.js";
import { describeValue, type Value } from "./static-value.js";

export interface ParameterCheck {
  flowName: string;
  schema: JsonSchema;
  /** The parameters passed; undefined when none are. */
  given: Value | undefined;
  /** Parameters already set elsewhere (the deployment's own `parameters`). */
  defaults: ReadonlySet<string>;
  /** Report required parameters that nobody gives. */
  checkRequired: boolean;
  /** Where the call or declaration is, for findings with no better place. */
  at: FileLoc;
}

/** TRB112: parameters the flow does not take, required ones missing, literals of the wrong type. */
export function checkParameters(check: ParameterCheck): DraftFinding[] {
  const { schema, given, flowName } = check;
  const findings: DraftFinding[] = [];
  const problem = (at: FileLoc, message: string) => findings.push(findingAt(at, "error", "TRB112", message));
  const properties = schema.properties;
  if (given !== undefined && given.t !== "object" && given.t !== "unknown" && given.t !== "undefined") {
    problem(placeIn(given, check.at), `Parameters are passed as an object, but ${describeValue(given)} is given here.`);
    return findings;
  }
  const entries = given?.t === "object" ? given.props : new Map<string, { value: Value; keyAt: FileLoc }>();
  if (properties) {
    const known = Object.keys(properties);
    for (const [key, { value, keyAt }] of entries) {
      const property = properties[key];
      if (property === undefined) {
        if (schema.additionalProperties !== false) continue;
        const takes = known.length > 0 ? ` It takes ${known.map((k) => `"${k}"`).join(", ")}.` : " It takes no parameters.";
        problem(placeIn({ ...value, at: keyAt }, check.at), `Flow "${flowName}" has no parameter "${key}".${didYouMean(closestNames(key, known))}${takes}`);
        continue;
      }
      const mismatch = mismatchOf(value, property);
      if (mismatch) problem(placeIn(value, check.at), `Parameter "${key}" of flow "${flowName}" expects ${mismatch}, but ${describeValue(value)} is given.`);
    }
  }
  const open = given?.t === "unknown" || (given?.t === "object" && given.open);
  if (check.checkRequired && !open) {
    const missing = (schema.required ?? []).filter((r) => !entries.has(r) && !check.defaults.has(r));
    if (missing.length > 0) {
      const list = missing.map((m) => `"${m}"`).join(", ");
      problem(placeIn(given, check.at), `Flow "${flowName}" requires ${missing.length === 1 ? "the parameter" : "the parameters"} ${list}, not given here${check.defaults.size > 0 ? " nor by the deployment" : ""}.`);
    }
  }
  return findings;
}

/** What the schema expects when `value` does not fit it, else undefined (also when it cannot tell). */
export function mismatchOf(value: Value, schema: JsonSchema, depth = 0): string | undefined {
  if (depth > 8 || ["unknown", "call", "function", "api", "undefined"].includes(value.t)) return undefined;
  if (value.t === "string" && value.v.includes("{{")) return undefined; // a template filled in when the action runs
  if (schema.anyOf) return schema.anyOf.some((s) => mismatchOf(value, s, depth + 1) === undefined) ? undefined : schema.anyOf.map((s) => expected(s)).join(" or ");
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types && !types.some((t) => fits(value, t))) return expected(schema);
  if (schema.enum && (value.t === "string" || value.t === "number" || value.t === "boolean") && !schema.enum.includes(value.v)) return expected(schema);
  if (value.t === "array" && schema.items) {
    for (const item of value.items) if (mismatchOf(item, schema.items, depth + 1)) return expected(schema);
  }
  if (value.t === "object" && schema.properties) {
    for (const [key, { value: inner }] of value.props) {
      const property = schema.properties[key];
      if (property === undefined ? schema.additionalProperties === false : mismatchOf(inner, property, depth + 1)) return expected(schema);
    }
  }
  return undefined;
}

function fits(value: Value, type: string): boolean {
  switch (type) {
    case "integer":
      return value.t === "number" && Number.isInteger(value.v);
    case "number":
    case "string":
    case "boolean":
    case "null":
    case "array":
    case "object":
      return value.t === type;
    default:
      return true;
  }
}

function expected(schema: JsonSchema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (schema.anyOf) return schema.anyOf.map(expected).join(" or ");
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length === 0) return "a value";
  const article = (t: string) => (t === "null" ? "null" : t === "array" || t === "object" || t === "integer" ? `an ${t}` : `a ${t}`);
  if (schema.type === "array" && schema.items && schema.items.type !== undefined) return `an array of ${expected(schema.items).replace(/^an? /, "")}s`;
  return types.map(article).join(" or ");
}
