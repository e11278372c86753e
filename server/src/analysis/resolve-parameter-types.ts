import { applyDefaults, isUnresolved, mergeObjectSchemas, OPEN_OBJECT_SCHEMA, type JsonSchema } from "./json-schema.js";

/** Finds the schema of a type named in `file` (imported, re-exported, in a namespace), with the file it is written in. */
export type TypeSchemaLookup = (file: string, path: { root: string; props: string[] }) => { file: string; schema: JsonSchema } | undefined;

const MAX_DEPTH = 8;

/**
 * A flow's parameter schema with the types of other files filled in (`import type { Params }`, an
 * interface extending one). Summaries keep those parts as `typeRef`; what cannot be found accepts
 * anything, as a type the analysis cannot read always has. A schema with nothing to fill in is
 * returned as it is, so flows with literal types cost nothing here.
 */
export function resolveParameterTypes(schema: JsonSchema, file: string, lookup: TypeSchemaLookup): JsonSchema {
  return hasTypeRefs(schema, 0) ? fill(schema, file, lookup, 0) : schema;
}

function fill(schema: JsonSchema, file: string, lookup: TypeSchemaLookup, depth: number): JsonSchema {
  if (depth > MAX_DEPTH) return {};
  const { typeRef, allOf, partial, defaultsOf, ...rest } = schema;
  let result: JsonSchema;
  if (typeRef !== undefined) {
    const found = lookup(file, typeRef);
    result = found === undefined ? {} : fill(found.schema, found.file, lookup, depth + 1);
  } else if (allOf !== undefined) {
    // An unknown part of an interface's bases leaves it open; its own members still count.
    const parts = allOf.map((part) => {
      const filled = fill(part, file, lookup, depth + 1);
      return filled.type === "object" && filled.properties ? filled : { ...OPEN_OBJECT_SCHEMA, properties: {} };
    });
    result = mergeObjectSchemas(parts);
  } else {
    result = { ...rest };
    if (rest.properties) result.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, fill(v, file, lookup, depth + 1)]));
    if (rest.items) result.items = fill(rest.items, file, lookup, depth + 1);
    if (typeof rest.additionalProperties === "object") result.additionalProperties = fill(rest.additionalProperties, file, lookup, depth + 1);
    if (rest.anyOf) result.anyOf = rest.anyOf.map((s) => fill(s, file, lookup, depth + 1));
  }
  if (partial && result.required) {
    const { required: _required, ...optional } = result;
    result = optional;
  }
  if (defaultsOf && result.properties) result = applyDefaults(result, defaultsOf);
  return result;
}

function hasTypeRefs(schema: JsonSchema, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isUnresolved(schema)) return true;
  const children = [...Object.values(schema.properties ?? {}), ...(schema.anyOf ?? []), ...(schema.items ? [schema.items] : []), ...(typeof schema.additionalProperties === "object" ? [schema.additionalProperties] : [])];
  return children.some((child) => hasTypeRefs(child, depth + 1));
}
