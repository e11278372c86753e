/**
 * A flow's parameter schema (JSON Schema, read from its signature by the language server) as a
 * list of prompts, one per parameter in declaration order, and what a person typed as a JSON value
 * checked against the parameter's own schema (ajv). vscode-free: the prompts themselves are in
 * prompt-parameters.ts.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { JsonSchema } from "../../../server/src/analysis/index.js";
import type { JsonValue } from "../../../runtime/src/store/records.js";

/** A parameter's schema as it may come from the server or a deployment record. */
export interface ParameterSchema extends Omit<JsonSchema, "properties" | "items" | "anyOf"> {
  properties?: Record<string, ParameterSchema>;
  items?: ParameterSchema;
  anyOf?: ParameterSchema[];
  description?: string;
  title?: string;
}

/** How a parameter is asked for: typed text, or a pick among its values. */
export type InputKind = "string" | "number" | "integer" | "boolean" | "enum" | "json" | "any";

export interface ParameterPrompt {
  name: string;
  schema: ParameterSchema;
  kind: InputKind;
  required: boolean;
  /** The type as the prompt shows it: `number`, `"a" | "b"`, `string[] as JSON`. */
  typeLabel: string;
  description: string | undefined;
  /** Present when the schema (or the deployment) gives a default. */
  default?: JsonValue;
  /** The values offered for `boolean` and `enum`. */
  choices?: JsonValue[];
}

/** What the person typed, understood: a value, the parameter left out, or why not. */
export type ParsedInput = { value: JsonValue } | { omit: true } | { error: string };

/**
 * One prompt per property of `schema`, in order. `defaults` (a deployment's parameters) override
 * the schema's defaults. A schema without properties (no parameters, or unreadable) gives none.
 */
export function parameterPrompts(schema: ParameterSchema | undefined, defaults: Record<string, JsonValue> = {}): ParameterPrompt[] {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const p = property;
    const kind = inputKind(p);
    const prompt: ParameterPrompt = { name, schema: p, kind, required: required.has(name), typeLabel: typeLabel(p, kind), description: p.description ?? p.title };
    const fallback = name in defaults ? defaults[name] : p.default;
    if (fallback !== undefined) prompt.default = fallback as JsonValue;
    if (kind === "boolean") prompt.choices = [true, false];
    if (kind === "enum") prompt.choices = (p.enum ?? []) as JsonValue[];
    return prompt;
  });
}

function inputKind(schema: ParameterSchema): InputKind {
  if (schema.enum !== undefined && schema.enum.length > 0) return "enum";
  if (schema.anyOf !== undefined) return "json";
  const types = (Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : []).filter((t) => t !== "null");
  if (types.length === 0) return "any";
  if (types.length > 1) return "json";
  const type = types[0]!;
  return type === "array" || type === "object" ? "json" : type;
}

function typeLabel(schema: ParameterSchema, kind: InputKind): string {
  if (kind === "enum") return (schema.enum ?? []).map((v) => JSON.stringify(v)).join(" | ");
  if (kind === "any") return "any JSON value or text";
  if (kind !== "json") return kind;
  return `${schemaType(schema)} as JSON`;
}

function schemaType(schema: ParameterSchema): string {
  if (schema.anyOf) return schema.anyOf.map(schemaType).join(" | ");
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : [];
  if (types.length === 0) return "any";
  return types
    .map((type) => {
      if (type === "array") return `${schema.items ? wrap(schemaType(schema.items)) : "any"}[]`;
      if (type === "object" && schema.properties) return `{ ${Object.entries(schema.properties).map(([k, v]) => `${k}: ${schemaType(v)}`).join("; ")} }`;
      return type;
    })
    .join(" | ");
}

const wrap = (type: string) => (type.includes(" | ") ? `(${type})` : type);

/** The text an input box starts with: the default, as it would be typed. */
export function initialText(prompt: ParameterPrompt): string {
  if (prompt.default === undefined) return "";
  return typeof prompt.default === "string" && prompt.kind !== "json" ? prompt.default : JSON.stringify(prompt.default);
}

/** The line under the input: type, description, whether it may be left empty. */
export function promptText(prompt: ParameterPrompt): string {
  const parts = [`${prompt.name}: ${prompt.typeLabel}`];
  if (prompt.description) parts.push(prompt.description);
  if (prompt.default !== undefined) parts.push(`default ${JSON.stringify(prompt.default)}; empty keeps it`);
  else parts.push(prompt.required ? "required" : "optional; empty leaves it out");
  return parts.join(" — ");
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Understands `text` typed for `prompt`; an error names the parameter and the expected type. */
export function parseInput(prompt: ParameterPrompt, text: string): ParsedInput {
  const trimmed = text.trim();
  if (trimmed === "" && prompt.kind !== "string") return emptyInput(prompt);
  if (text === "" && prompt.kind === "string") return emptyInput(prompt);
  let value: JsonValue;
  switch (prompt.kind) {
    case "string":
      value = text;
      break;
    case "number":
    case "integer":
      if (!NUMBER.test(trimmed)) return { error: `Parameter "${prompt.name}" must be ${article(prompt.kind)}: ${quote(trimmed)} is not one.` };
      value = Number(trimmed);
      if (prompt.kind === "integer" && !Number.isInteger(value)) return { error: `Parameter "${prompt.name}" must be an integer: ${trimmed} is not whole.` };
      break;
    case "boolean":
      if (trimmed !== "true" && trimmed !== "false") return { error: `Parameter "${prompt.name}" must be a boolean (true or false): ${quote(trimmed)} is neither.` };
      value = trimmed === "true";
      break;
    case "enum": {
      const match = (prompt.choices ?? []).find((choice) => (typeof choice === "string" ? choice === text : JSON.stringify(choice) === trimmed));
      if (match === undefined) return { error: `Parameter "${prompt.name}" must be one of ${prompt.typeLabel}: ${quote(trimmed)} is not.` };
      value = match;
      break;
    }
    case "json":
      try {
        value = JSON.parse(trimmed) as JsonValue;
      } catch (error) {
        return { error: `Parameter "${prompt.name}" must be ${prompt.typeLabel}: ${(error as Error).message}.` };
      }
      break;
    case "any":
      try {
        value = JSON.parse(trimmed) as JsonValue;
      } catch {
        value = text;
      }
      break;
  }
  const problem = schemaProblem(prompt, value);
  return problem === undefined ? { value } : { error: problem };
}

function emptyInput(prompt: ParameterPrompt): ParsedInput {
  if (prompt.default !== undefined || !prompt.required) return { omit: true };
  return { error: `Parameter "${prompt.name}" is required: enter ${prompt.kind === "json" || prompt.kind === "enum" || prompt.kind === "any" ? prompt.typeLabel : article(prompt.typeLabel)}.` };
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

function schemaProblem(prompt: ParameterPrompt, value: JsonValue): string | undefined {
  let validate = compiled.get(prompt.schema);
  if (!validate) {
    // `default` is information for the prompt, not a constraint.
    const { default: _default, ...constraints } = prompt.schema;
    validate = ajv.compile(constraints);
    compiled.set(prompt.schema, validate);
  }
  if (validate(value)) return undefined;
  return describe(prompt, validate.errors?.[0]);
}

function describe(prompt: ParameterPrompt, error: ErrorObject | undefined): string {
  const where = `${prompt.name}${error?.instancePath.replace(/\//g, ".") ?? ""}`;
  return `Parameter "${where}" ${error?.message ?? "does not fit its schema"} (expected ${prompt.typeLabel}).`;
}

/** The parameters to run with: only those given; the left-out ones take the flow's defaults. */
export function collectParameters(entries: readonly [string, ParsedInput][]): Record<string, JsonValue> {
  const parameters: Record<string, JsonValue> = {};
  for (const [name, input] of entries) if ("value" in input) parameters[name] = input.value;
  return parameters;
}
