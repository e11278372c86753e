import type { CallSite } from "./file-summary.js";
import type { FileLoc } from "./source-location.js";

/**
 * A `StaticExpr` evaluated across files. `at` is where the value is written, which may be another
 * file than the one using it (a `const` imported from elsewhere).
 */
export type Value =
  | { t: "string"; v: string; at: FileLoc }
  | { t: "number"; v: number; at: FileLoc }
  | { t: "boolean"; v: boolean; at: FileLoc }
  | { t: "null"; at: FileLoc }
  | { t: "undefined"; at: FileLoc }
  | { t: "array"; items: Value[]; open: boolean; at: FileLoc }
  | { t: "object"; props: Map<string, { value: Value; keyAt: FileLoc }>; open: boolean; at: FileLoc }
  /** A call the summary recorded (`flow(...)`), in `file`. */
  | { t: "call"; file: string; call: CallSite; at: FileLoc }
  | { t: "function"; file: string; containerId: number | undefined; at: FileLoc }
  /** An export of "tributaryjs" (`exponentialBackoff`, …). */
  | { t: "api"; name: string; at: FileLoc }
  /** Not static: `text` is the expression that is not. */
  | { t: "unknown"; text: string; root?: string; at: FileLoc };

export function prop(value: Value | undefined, key: string): Value | undefined {
  return value?.t === "object" ? value.props.get(key)?.value : undefined;
}

export function isUnknown(value: Value | undefined): value is Extract<Value, { t: "unknown" }> {
  return value?.t === "unknown";
}

/** A JSON-like rendering for messages: `"x"`, `5`, `[…]`. */
export function describeValue(value: Value): string {
  switch (value.t) {
    case "string":
      return JSON.stringify(value.v);
    case "number":
    case "boolean":
      return String(value.v);
    case "null":
    case "undefined":
      return value.t;
    case "array":
    case "object": {
      const json = toJson(value);
      const text = json === undefined ? undefined : JSON.stringify(json);
      return text !== undefined && text.length <= 40 ? text : value.t === "array" ? "an array" : "an object";
    }
    case "function":
      return "a function";
    case "call":
    case "api":
      return "a call";
    case "unknown":
      return value.text;
  }
}

/** The plain JSON of a fully static value, or undefined when some part is not static. */
export function toJson(value: Value): unknown {
  switch (value.t) {
    case "string":
    case "number":
    case "boolean":
      return value.v;
    case "null":
      return null;
    case "array": {
      const items = value.items.map(toJson);
      return value.open || items.includes(undefined) ? undefined : items;
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, { value: inner }] of value.props) {
        const json = toJson(inner);
        if (json === undefined) return undefined;
        out[key] = json;
      }
      return value.open ? undefined : out;
    }
    default:
      return undefined;
  }
}
