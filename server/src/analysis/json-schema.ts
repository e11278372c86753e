/** The subset of JSON Schema that flow parameter schemas use. */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: (string | number | boolean | null)[];
  anyOf?: JsonSchema[];
  default?: unknown;
}

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "array" | "object";

/** The schema of a flow whose parameters cannot be read: it accepts anything. */
export const OPEN_OBJECT_SCHEMA: JsonSchema = { type: "object" };

/** The schema of a flow that takes no parameters. */
export const EMPTY_OBJECT_SCHEMA: JsonSchema = { type: "object", properties: {}, additionalProperties: false };

/** The required parameters that have no default: a run of the flow needs a value for each. */
export function requiredWithoutDefault(schema: JsonSchema | undefined): string[] {
  return (schema?.required ?? []).filter((name) => schema?.properties?.[name]?.default === undefined);
}
