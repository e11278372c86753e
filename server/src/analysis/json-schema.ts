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
  /**
   * Analysis-internal, gone once a flow's facts are resolved (`resolve-parameter-types.ts`): a type
   * not declared in the file that reads it (an import), by its module-level name and path.
   */
  typeRef?: { root: string; props: string[] };
  /** Analysis-internal, with `typeRef`: the type arguments written (`Page<string>`). */
  typeArgs?: TypeArgument[];
  /** Analysis-internal: a type parameter of the generic declaration being read, replaced by its argument. */
  typeParam?: string;
  /** Analysis-internal: parts to merge once resolved (an interface's `extends`, an `&` with an import). */
  allOf?: JsonSchema[];
  /** Analysis-internal: `Partial<…>` of a part not resolved yet. */
  partial?: true;
  /** Analysis-internal: destructuring defaults to apply once resolved (`{ mode = "append" }: Params`). */
  defaultsOf?: { key: string; value?: string | number | boolean | null }[];
}

/** A type argument as read: its schema, and whether it admits `undefined` (a member of that type is then not required). */
export interface TypeArgument {
  schema: JsonSchema;
  optional?: true;
}

/** A type parameter of a generic interface or alias, with its default when it has one. */
export interface TypeParameter {
  name: string;
  default?: TypeArgument;
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

/** A schema that still waits for types of other files (`resolve-parameter-types.ts`). */
export function isUnresolved(schema: JsonSchema): boolean {
  return schema.typeRef !== undefined || schema.allOf !== undefined || schema.typeParam !== undefined;
}

/** The parameters `A & B` (or an interface extending A and B) take: every property; closed when all are. */
export function mergeObjectSchemas(schemas: JsonSchema[]): JsonSchema {
  if (!schemas.every((s) => s.type === "object" && s.properties)) return {};
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let closed = true;
  for (const s of schemas) {
    Object.assign(properties, s.properties);
    required.push(...(s.required ?? []));
    if (s.additionalProperties !== false) closed = false;
  }
  const schema: JsonSchema = { type: "object", properties };
  if (required.length > 0) schema.required = [...new Set(required)];
  if (closed) schema.additionalProperties = false;
  return schema;
}

/** Destructuring defaults: those parameters are not required, and their literal default is shown. */
export function applyDefaults(schema: JsonSchema, defaults: NonNullable<JsonSchema["defaultsOf"]>): JsonSchema {
  const properties = { ...schema.properties };
  let required = schema.required ?? [];
  for (const { key, value } of defaults) {
    required = required.filter((r) => r !== key);
    if (properties[key] !== undefined && value !== undefined) properties[key] = { ...properties[key], default: value };
  }
  const result: JsonSchema = { ...schema, properties };
  if (required.length > 0) result.required = required;
  else delete result.required;
  return result;
}
