import { applyDefaults, isUnresolved, mergeObjectSchemas, OPEN_OBJECT_SCHEMA, reshape, type JsonSchema, type TypeArgument, type TypeParameter } from "./json-schema.js";

/** A type declaration found by name: its schema, the file it is written in, and its parameters when it is generic. */
export interface FoundTypeSchema {
  file: string;
  schema: JsonSchema;
  typeParameters?: TypeParameter[];
}

/** Finds the schema of a type named in `file` (imported, re-exported, in a namespace). */
export type TypeSchemaLookup = (file: string, path: { root: string; props: string[] }) => FoundTypeSchema | undefined;

const MAX_DEPTH = 8;

/**
 * A flow's parameter schema with the types of other files filled in (`import type { Params }`, an
 * interface extending one, `Page<Row>` of an imported generic). Summaries keep those parts as
 * `typeRef`; what cannot be found accepts anything, as a type the analysis cannot read always has.
 * A schema with nothing to fill in is returned as it is, so flows with literal types cost nothing here.
 */
export function resolveParameterTypes(schema: JsonSchema, file: string, lookup: TypeSchemaLookup): JsonSchema {
  return hasTypeRefs(schema, 0) ? fill(schema, file, lookup, 0, new Set()) : schema;
}

/** `expanding`: the declarations being filled in on this path; one met again is recursive and accepts anything there. */
function fill(schema: JsonSchema, file: string, lookup: TypeSchemaLookup, depth: number, expanding: ReadonlySet<JsonSchema>): JsonSchema {
  if (depth > MAX_DEPTH) return {};
  const { typeRef, typeArgs, typeParam, allOf, partial, pick, omit, defaultsOf, ...rest } = schema;
  let result: JsonSchema;
  if (typeParam !== undefined) {
    // A parameter no argument reached: it can be anything.
    result = {};
  } else if (typeRef !== undefined) {
    result = fillReference(typeRef, typeArgs ?? [], file, lookup, depth, expanding);
  } else if (allOf !== undefined) {
    // An unknown part of an interface's bases leaves it open; its own members still count.
    const parts = allOf.map((part) => {
      const filled = fill(part, file, lookup, depth + 1, expanding);
      return filled.type === "object" && filled.properties ? filled : { ...OPEN_OBJECT_SCHEMA, properties: {} };
    });
    result = mergeObjectSchemas(parts);
  } else {
    result = { ...rest };
    const inner = (s: JsonSchema) => fill(s, file, lookup, depth + 1, expanding);
    if (rest.properties) result.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, inner(v)]));
    if (rest.items) result.items = inner(rest.items);
    if (typeof rest.additionalProperties === "object") result.additionalProperties = inner(rest.additionalProperties);
    if (rest.anyOf) result.anyOf = rest.anyOf.map(inner);
  }
  if (partial || pick || omit) result = reshape(result, { partial, pick, omit });
  if (defaultsOf && result.properties) result = applyDefaults(result, defaultsOf);
  return result;
}

/**
 * A type named in `file`, filled in where it is declared. The arguments are filled in first, in
 * `file`, so that what is put in place of the parameters names nothing of the declaring file.
 */
function fillReference(typeRef: { root: string; props: string[] }, typeArgs: TypeArgument[], file: string, lookup: TypeSchemaLookup, depth: number, expanding: ReadonlySet<JsonSchema>): JsonSchema {
  const found = lookup(file, typeRef);
  if (found === undefined || expanding.has(found.schema)) return {};
  const args = typeArgs.map((arg) => ({ ...arg, schema: fill(arg.schema, file, lookup, depth + 1, expanding) }));
  const declared = found.typeParameters ?? [];
  const schema = declared.length > 0 ? substitute(found.schema, bindTypeArguments(declared, args)) : found.schema;
  return fill(schema, found.file, lookup, depth + 1, new Set([...expanding, found.schema]));
}

/** Each type parameter bound to its argument, else to its default (which may name the parameters before it), else to anything. */
function bindTypeArguments(declared: TypeParameter[], args: TypeArgument[]): Map<string, TypeArgument> {
  const bound = new Map<string, TypeArgument>();
  declared.forEach((parameter, i) => {
    const fallback = parameter.default ? substituteArgument(parameter.default, bound) : { schema: {} };
    bound.set(parameter.name, args[i] ?? fallback);
  });
  return bound;
}

/** A generic declaration's schema with its `typeParam` parts replaced by what they are bound to. */
function substitute(schema: JsonSchema, bound: ReadonlyMap<string, TypeArgument>): JsonSchema {
  if (schema.typeParam !== undefined) {
    // What was applied to the parameter (`Partial<T>`, `Pick<T, "a">`) applies to its argument.
    const { typeParam, partial, pick, omit } = schema;
    return reshape(bound.get(typeParam)?.schema ?? {}, { partial, pick, omit });
  }
  const out: JsonSchema = { ...schema };
  const properties = schema.properties;
  if (properties) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, substitute(v, bound)]));
    // A member typed by a parameter whose argument admits `undefined` (`Box<string | undefined>`) may be left out.
    const required = (schema.required ?? []).filter((key) => !admitsUndefined(properties[key]!, bound));
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  if (schema.items) out.items = substitute(schema.items, bound);
  if (typeof schema.additionalProperties === "object") out.additionalProperties = substitute(schema.additionalProperties, bound);
  if (schema.anyOf) out.anyOf = schema.anyOf.map((s) => substitute(s, bound));
  if (schema.allOf) out.allOf = schema.allOf.map((s) => substitute(s, bound));
  if (schema.typeArgs) out.typeArgs = schema.typeArgs.map((arg) => substituteArgument(arg, bound));
  return out;
}

function substituteArgument(arg: TypeArgument, bound: ReadonlyMap<string, TypeArgument>): TypeArgument {
  const schema = substitute(arg.schema, bound);
  return arg.optional || admitsUndefined(arg.schema, bound) ? { schema, optional: true } : { schema };
}

/** The part is a type parameter (or a union with one) bound to a type that admits `undefined`. */
function admitsUndefined(schema: JsonSchema, bound: ReadonlyMap<string, TypeArgument>): boolean {
  if (schema.typeParam !== undefined) return bound.get(schema.typeParam)?.optional === true;
  return (schema.anyOf ?? []).some((s) => admitsUndefined(s, bound));
}

function hasTypeRefs(schema: JsonSchema, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isUnresolved(schema)) return true;
  const children = [...Object.values(schema.properties ?? {}), ...(schema.anyOf ?? []), ...(schema.items ? [schema.items] : []), ...(typeof schema.additionalProperties === "object" ? [schema.additionalProperties] : [])];
  return children.some((child) => hasTypeRefs(child, depth + 1));
}
