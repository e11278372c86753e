/**
 * The Run form's model, without the DOM (so that node tests it): a flow's parameter JSON Schema
 * becomes one field per parameter, and the texts a reader typed become the run's parameters — or a
 * sentence naming the first parameter that does not fit, before any request is sent. It checks
 * the types a form can get wrong (a number, an integer, a choice, JSON); the server still checks
 * the whole schema with ajv and its 422 message is shown too. ajv itself would bloat the bundle.
 */
import type { JsonValue } from "../store/records.js";

type Schema = { [key: string]: JsonValue };

/** How a parameter is entered: a text box, a number as text, a checkbox, a choice, or JSON. */
export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "json";

export interface ParamField {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** The schema's `description`, shown as the field's hint. */
  description?: string;
  /** For `enum`: the allowed values. */
  choices?: JsonValue[];
  /** For `json`: what the value must be (`array`, `object`), or undefined for any JSON. */
  jsonType?: "array" | "object";
  /** The text the field starts with (the deployment's parameter, else the schema's default). */
  initial: string;
  /** For `boolean`: whether the box starts checked. */
  checked: boolean;
  /** Whether a value is known before the reader types (a default): a boolean is then always sent. */
  hasInitial: boolean;
}

/** What a field holds as the reader left it: its text, or for a checkbox whether it is checked. */
export type FieldInput = string | boolean;

/**
 * One field per property of `schema` (in its order), prefilled from `preset` (the deployment's
 * parameters) or the property's `default`. Without a schema there is one `json` field for the
 * whole object, named by `WHOLE_OBJECT`.
 */
export function paramFields(schema: Record<string, JsonValue> | undefined, preset: Record<string, JsonValue> = {}): ParamField[] {
  if (schema === undefined) {
    const initial = Object.keys(preset).length === 0 ? "" : JSON.stringify(preset, null, 2);
    return [{ name: WHOLE_OBJECT, kind: "json", jsonType: "object", required: false, initial, checked: false, hasInitial: initial !== "" }];
  }
  const properties = asSchema(schema.properties) ?? {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === "string") : []);
  return Object.entries(properties).map(([name, value]) => {
    const property = asSchema(value) ?? {};
    const known = name in preset ? preset[name] : property.default;
    const kind = kindOf(property);
    const field: ParamField = {
      name,
      kind,
      required: required.has(name),
      initial: known === undefined ? "" : kind === "json" || kind === "enum" || typeof known !== "string" ? JSON.stringify(known, null, kind === "json" ? 2 : undefined) : known,
      checked: known === true,
      hasInitial: known !== undefined,
    };
    if (typeof property.description === "string") field.description = property.description;
    if (kind === "enum") field.choices = property.enum as JsonValue[];
    if (kind === "json" && (property.type === "array" || property.type === "object")) field.jsonType = property.type;
    return field;
  });
}

/** The name of the one field of a form without a schema: the parameters as one JSON object. */
export const WHOLE_OBJECT = "";

/**
 * The run's parameters from the fields' inputs (by field name), or the first problem naming its
 * parameter: `Parameter "count" must be an integer, got "abc".` An empty optional field is left
 * out (the flow's default applies).
 */
export function readParams(fields: readonly ParamField[], inputs: Record<string, FieldInput>): { parameters: Record<string, JsonValue> } | { problem: string; field: string } {
  const parameters: Record<string, JsonValue> = {};
  for (const field of fields) {
    const input = inputs[field.name];
    const fail = (what: string) => ({ problem: field.name === WHOLE_OBJECT ? `The parameters ${what}.` : `Parameter "${field.name}" ${what}.`, field: field.name });
    if (field.kind === "boolean") {
      if (input === true || field.required || field.hasInitial) parameters[field.name] = input === true;
      continue;
    }
    const text = typeof input === "string" ? input : "";
    if (text.trim() === "" && field.kind !== "string") {
      if (field.required) return fail("is required");
      continue;
    }
    if (text === "" && field.kind === "string") {
      if (field.required) return fail("is required");
      continue;
    }
    switch (field.kind) {
      case "string":
        parameters[field.name] = text;
        break;
      case "number":
      case "integer": {
        const value = Number(text.trim());
        if (!Number.isFinite(value) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) return fail(`must be ${field.kind === "integer" ? "an integer" : "a number"}, got ${JSON.stringify(text)}`);
        if (field.kind === "integer" && !Number.isInteger(value)) return fail(`must be an integer, got ${JSON.stringify(text)}`);
        parameters[field.name] = value;
        break;
      }
      case "enum": {
        const choice = field.choices?.find((option) => JSON.stringify(option) === text);
        if (choice === undefined) return fail(`must be one of ${(field.choices ?? []).map((option) => JSON.stringify(option)).join(", ")}, got ${text}`);
        parameters[field.name] = choice;
        break;
      }
      case "json": {
        let value: JsonValue;
        try {
          value = JSON.parse(text) as JsonValue;
        } catch {
          if (field.jsonType !== undefined || field.name === WHOLE_OBJECT) return fail(`must be JSON (${field.jsonType === "array" ? "an array" : "an object"}), got ${JSON.stringify(text)}`);
          // A parameter of a type the form has no field for (a union): JSON when it parses, else the text.
          value = text;
        }
        const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
        if (field.jsonType !== undefined && type !== field.jsonType) return fail(`must be ${field.jsonType === "array" ? "an array" : "an object"}, got ${type === "object" || type === "array" ? `an ${type}` : JSON.stringify(value)}`);
        if (field.name === WHOLE_OBJECT) Object.assign(parameters, value);
        else parameters[field.name] = value;
        break;
      }
    }
  }
  return { parameters };
}

function kindOf(property: Schema): FieldKind {
  if (Array.isArray(property.enum) && property.enum.length > 0) return "enum";
  switch (property.type) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    default:
      return "json";
  }
}

function asSchema(value: JsonValue | undefined): Schema | undefined {
  return value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}
