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
  /** Analysis-internal: `Pick<…, keys>` of a part not resolved yet. */
  pick?: string[];
  /** Analysis-internal: `Omit<…, keys>` of a part not resolved yet. */
  omit?: string[];
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

/** What `Partial`, `Pick` and `Omit` do to a type's members. */
export interface Reshape {
  partial?: true | undefined;
  pick?: string[] | undefined;
  omit?: string[] | undefined;
}

/**
 * `Partial`, `Pick` and `Omit` of a schema: applied now when it is resolved, else kept on it to
 * apply once it is. The three commute, so kept ones combine (picks intersect, omits add up).
 */
export function reshape(schema: JsonSchema, how: Reshape): JsonSchema {
  if (isUnresolved(schema)) {
    const out: JsonSchema = { ...schema };
    if (how.partial) out.partial = true;
    if (how.pick) out.pick = schema.pick ? schema.pick.filter((k) => how.pick!.includes(k)) : how.pick;
    if (how.omit) out.omit = [...new Set([...(schema.omit ?? []), ...how.omit])];
    return out;
  }
  let out = schema;
  // Members picked from a union, or from what is not read as an object, are not known here.
  if ((how.pick || how.omit) && !(out.type === "object" && out.properties)) return {};
  if ((how.pick || how.omit) && out.properties) {
    const keep = (key: string) => (how.pick === undefined || how.pick.includes(key)) && !how.omit?.includes(key);
    out = { ...out, properties: Object.fromEntries(Object.entries(out.properties).filter(([k]) => keep(k))) };
    if (schema.required) out.required = schema.required.filter(keep);
  }
  if ((how.partial || out.required?.length === 0) && out.required) {
    const { required: _required, ...optional } = out;
    out = optional;
  }
  return out;
}
