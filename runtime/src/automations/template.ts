/**
 * Templates in action values: `"{{ flowRun.result.batchId }}"`, `"{{ event.payload.x }}"`,
 * `"{{ flowRun.parameters.y }}"`. A string that is one whole template becomes the value it names,
 * keeping its JSON type (a number stays a number, an object an object); a template inside a longer
 * string is interpolated (objects as JSON). A path that names nothing gives `null` as a whole value
 * and `""` inside a string, like Jinja's undefined.
 */
import type { JsonValue } from "../store/records.js";

/** What templates can name: `event`, `flowRun`, `automation`. */
export type TemplateContext = Readonly<Record<string, unknown>>;

const WHOLE = /^\s*\{\{\s*([^{}]*?)\s*\}\}\s*$/;
const ANY = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** `a.b[0].c` → `["a", "b", "0", "c"]`. */
function pathSegments(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((segment) => segment.trim())
    .filter((segment) => segment !== "");
}

/** The value at `path` in `context`, or undefined. */
export function lookUp(context: TemplateContext, path: string): unknown {
  let current: unknown = context;
  for (const segment of pathSegments(path)) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  // A round trip drops what JSON cannot hold (functions, undefined fields) the way the store does.
  return JSON.parse(JSON.stringify(value) ?? "null") as JsonValue;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "";
}

/** Fills the templates of one string. */
export function renderString(text: string, context: TemplateContext): JsonValue {
  const whole = WHOLE.exec(text);
  if (whole) return toJson(lookUp(context, whole[1]!));
  if (!text.includes("{{")) return text;
  return text.replace(ANY, (_match, path: string) => toText(lookUp(context, path)));
}

/** Fills every template in a JSON value (strings in arrays and objects, at any depth); keys are left as they are. */
export function renderTemplate(value: JsonValue, context: TemplateContext): JsonValue {
  if (typeof value === "string") return renderString(value, context);
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, context));
  if (value !== null && typeof value === "object") {
    const rendered: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) rendered[key] = renderTemplate(item, context);
    return rendered;
  }
  return value;
}

/** Whether a value holds a template anywhere (declarations use it to skip checks of templated values). */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === "string") return /\{\{[^{}]*\}\}/.test(value);
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasTemplate);
  return false;
}
