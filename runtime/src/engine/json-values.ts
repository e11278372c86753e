/**
 * What counts as JSON here: null, booleans, finite numbers, strings, arrays and plain objects of
 * those. Parameters must be JSON (so that a run can be stored, shown and retried); results are
 * stored as their JSON projection (stored-result.ts).
 */

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Where in `value` the first non-JSON part is (`""` for the value itself), or undefined if it is all JSON. */
export function findNonJson(value: unknown, path = "", seen: Set<object> = new Set()): { path: string; value: unknown } | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { path, value };
    case "object": {
      if (value === null) return undefined;
      if (seen.has(value)) return { path, value };
      if (Array.isArray(value)) {
        seen.add(value);
        for (let i = 0; i < value.length; i++) {
          const bad = findNonJson(value[i], `${path}[${i}]`, seen);
          if (bad) return bad;
        }
        seen.delete(value);
        return undefined;
      }
      if (!isPlainObject(value)) return { path, value };
      seen.add(value);
      for (const key of Object.keys(value)) {
        const bad = findNonJson((value as Record<string, unknown>)[key], path === "" ? key : `${path}.${key}`, seen);
        if (bad) return bad;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return { path, value };
  }
}

/** A short description of a non-JSON value for messages: `a Date`, `undefined`, `a function`. */
export function describeNonJson(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return "a bigint";
  if (typeof value === "symbol") return "a symbol";
  if (value !== null && typeof value === "object") {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== "Object" && name !== "Array" ? `a ${name}` : "a value that refers to itself";
  }
  return String(value);
}
