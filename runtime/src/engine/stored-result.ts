/**
 * How a flow or task result is stored: as `JSON.stringify` would store it (`{ a: 1, b: undefined }`
 * → `{"a":1}`, a Date → its ISO string through `toJSON`), except that what JSON cannot hold
 * faithfully is projected instead of being dropped or throwing — a BigInt as its decimal string, a
 * cycle as `"[Circular]"`, a Map as an object of its entries, a Set as an array, a class instance
 * as its own enumerable properties — and each such place is reported, so the run's log can say so.
 * The caller's in-memory value is never touched.
 */
import type { JsonValue } from "../store/records.js";

/** One place in a result that JSON could not hold as it was. */
export interface ResultProjection {
  /** JSONPath-like: `$`, `$.total`, `$.items[2]`, `$["a key"]`. */
  path: string;
  /** What was there: `a BigInt`, `a Map`, `a Point (a class instance)`, `a reference to itself (a cycle)`. */
  found: string;
  /** How it was stored: `the string "123"`, `an object of its entries`, `null`, … */
  storedAs: string;
}

export interface StoredResult {
  /** The value to store; undefined when there is none (the result was undefined, a function or a symbol). */
  value: JsonValue | undefined;
  /** Empty when the stored value is the result, as JSON holds it. */
  projections: ResultProjection[];
}

/** The stored form of `value` and every place it had to be projected. */
export function storedResult(value: unknown): StoredResult {
  // Fast path for the common trivial results.
  if (value === null || typeof value === "string" || typeof value === "boolean") return { value, projections: [] };
  if (typeof value === "number" && Number.isFinite(value)) return { value, projections: [] };
  const projections: ResultProjection[] = [];
  const projected = project(value, "", "$", [], projections);
  return { value: projected === OMIT ? undefined : projected, projections };
}

/** The log line for one projection: `The result of flow run "x" holds a BigInt at $.total; it is stored as the string "1".` */
export function describeProjection(owner: string, projection: ResultProjection): string {
  return `The result of ${owner} holds ${projection.found} at ${projection.path}; it is stored as ${projection.storedAs}.`;
}

/** A result with thousands of BigInts must not flood the log: this many lines, then a count. */
export const MAX_PROJECTION_LINES = 10;

/** The lines to log for a result's projections (at most MAX_PROJECTION_LINES + 1). */
export function projectionLogLines(owner: string, projections: readonly ResultProjection[]): string[] {
  const lines = projections.slice(0, MAX_PROJECTION_LINES).map((p) => describeProjection(owner, p));
  const more = projections.length - MAX_PROJECTION_LINES;
  if (more > 0) lines.push(`The result of ${owner} holds ${more} more values JSON cannot hold as they are; they are stored as their JSON projections too.`);
  return lines;
}

/** Marks a value JSON.stringify leaves out of an object (and writes as null in an array). */
const OMIT = Symbol("omit");
type Projected = JsonValue | typeof OMIT;

function project(value: unknown, key: string, path: string, ancestors: object[], out: ResultProjection[]): Projected {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    if (ancestors.includes(value)) return circular(path, out);
    // As JSON.stringify does: a Date, a Buffer or a user's class says how it is written.
    ancestors.push(value);
    try {
      return project((value as { toJSON: (key: string) => unknown }).toJSON(key), key, path, ancestors, out);
    } finally {
      ancestors.pop();
    }
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(value)) return value;
      out.push({ path, found: String(value), storedAs: "null" });
      return null;
    case "bigint": {
      const text = value.toString();
      out.push({ path, found: "a BigInt", storedAs: `the string ${JSON.stringify(text)}` });
      return text;
    }
    case "undefined":
      return OMIT;
    case "function":
    case "symbol":
      out.push({ path, found: typeof value === "function" ? "a function" : "a symbol", storedAs: "nothing (it is left out, as JSON.stringify does)" });
      return OMIT;
    case "object":
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.includes(object)) return circular(path, out);
  ancestors.push(object);
  try {
    return projectObject(object, path, ancestors, out);
  } finally {
    ancestors.pop();
  }
}

function projectObject(object: object, path: string, ancestors: object[], out: ResultProjection[]): JsonValue {
  if (Array.isArray(object)) return object.map((item, i) => orNull(project(item, String(i), `${path}[${i}]`, ancestors, out)));
  if (object instanceof Map) {
    out.push({ path, found: "a Map", storedAs: "an object of its entries" });
    const entries: [string, unknown][] = [...object.entries()].map(([k, v]) => [String(k), v]);
    return projectEntries(entries, path, ancestors, out);
  }
  if (object instanceof Set) {
    out.push({ path, found: "a Set", storedAs: "an array of its values" });
    return [...object].map((item, i) => orNull(project(item, String(i), `${path}[${i}]`, ancestors, out)));
  }
  // Boxed primitives are written as their value by JSON.stringify.
  if (object instanceof Number || object instanceof String || object instanceof Boolean) {
    return orNull(project(object.valueOf(), "", path, ancestors, out));
  }
  const proto = Object.getPrototypeOf(object) as { constructor?: { name?: string } } | null;
  if (proto !== Object.prototype && proto !== null) {
    const name = proto.constructor?.name;
    out.push({ path, found: `${name ? `a ${name}` : "an object"} (a class instance)`, storedAs: "its own enumerable properties" });
  }
  return projectEntries(Object.entries(object), path, ancestors, out);
}

function projectEntries(entries: [string, unknown][], path: string, ancestors: object[], out: ResultProjection[]): JsonValue {
  const result: { [key: string]: JsonValue } = {};
  for (const [key, item] of entries) {
    const projected = project(item, key, childPath(path, key), ancestors, out);
    if (projected !== OMIT) result[key] = projected;
  }
  return result;
}

function circular(path: string, out: ResultProjection[]): JsonValue {
  out.push({ path, found: "a reference to itself (a cycle)", storedAs: `the string "[Circular]"` });
  return "[Circular]";
}

function orNull(value: Projected): JsonValue {
  return value === OMIT ? null : value;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
