/**
 * A flow's parameter schema (the JSON Schema `tributary deploy` reads from the flow's types) as
 * lines for `deployment inspect`: one per parameter, with its type, whether it is required and
 * its default.
 *
 *     batchId     string, required
 *     batchSize   number, default 10
 */
import type { JsonValue } from "../../store/records.js";

type Schema = { [key: string]: JsonValue };

export function formatParameterSchema(schema: Record<string, JsonValue> | undefined): string[] {
  if (schema === undefined) return ["  (not recorded: `tributary deploy` reads it from the flow's parameter types)"];
  const properties = asSchema(schema.properties) ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) return ["  (no parameters)"];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const width = Math.max(...names.map((name) => name.length));
  return names.map((name) => {
    const property = asSchema(properties[name]) ?? {};
    const facts = [describeType(property)];
    if (required.has(name)) facts.push("required");
    if (property.default !== undefined) facts.push(`default ${JSON.stringify(property.default)}`);
    if (typeof property.description === "string") facts.push(property.description);
    return `  ${name.padEnd(width)}  ${facts.join(", ")}`;
  });
}

function describeType(schema: Schema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (union !== undefined) return union.map((member) => describeType(asSchema(member) ?? {})).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : typeof schema.type === "string" ? schema.type : "any";
  const items = asSchema(schema.items);
  return type === "array" && items !== undefined ? `array of ${describeType(items)}` : type;
}

function asSchema(value: JsonValue | undefined): Schema | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}
