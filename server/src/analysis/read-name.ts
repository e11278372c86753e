import { findingAt, type DraftFinding } from "./finding.js";
import type { FileLoc } from "./source-location.js";
import type { Value } from "./static-value.js";

export interface NameReading {
  name: string | undefined;
  /** Where the name is written in the using file (the argument, when the string lives elsewhere). */
  at: FileLoc;
  finding: DraftFinding | undefined;
}

/** Where `value` shows in `fallback.file`: its own place when it is written there, else the use. */
export function placeIn(value: Value | undefined, fallback: FileLoc): FileLoc {
  return value && value.at.file === fallback.file ? value.at : fallback;
}

/**
 * A name that must be static (a flow, deployment or automation name). Anything else is reported
 * as TRB130 — the dependency it names cannot be followed, and it is never guessed.
 */
export function readStaticName(value: Value | undefined, what: string, fallback: FileLoc): NameReading {
  if (value?.t === "string") return { name: value.v, at: fallback, finding: undefined };
  const at = placeIn(value, fallback);
  const detail =
    value === undefined || value.t === "undefined"
      ? "is missing"
      : value.t === "unknown"
        ? `depends on \`${value.text}\`, which is not static`
        : `is ${value.t === "number" || value.t === "boolean" ? `a ${value.t}` : "not a string"}`;
  const message = `The ${what} ${detail}, so this dependency cannot be followed. Write it as a string literal or a \`const\` string.`;
  return { name: undefined, at, finding: findingAt(at, "warning", "TRB130", message) };
}

/** One name or an array of names (a trigger's `match.flow`). */
export function readStaticNames(value: Value | undefined, what: string, fallback: FileLoc): NameReading[] {
  if (value === undefined) return [];
  if (value.t !== "array") return [readStaticName(value, what, placeIn(value, fallback))];
  const readings = value.items.map((item) => readStaticName(item, what, placeIn(item, fallback)));
  if (value.open) readings.push(readStaticName({ t: "unknown", text: "...spread", at: placeIn(value, fallback) }, what, placeIn(value, fallback)));
  return readings;
}
