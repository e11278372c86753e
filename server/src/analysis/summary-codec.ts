/**
 * A `FileSummary` as JSON and back, for the summary cache (`directory-summary-cache.ts`). JSON
 * alone would lose what a summary holds: Maps, `undefined` (an unset guard, a literal `undefined`)
 * and numbers JSON has no word for (`-0`, `Infinity`). So every array is written with a tag first,
 * and the values JSON cannot hold are tagged arrays of their own; a plain object stays an object.
 * Decoding accepts only what encoding writes, then checks the summary's shape: an entry that is not
 * one of ours throws, and the cache treats it as a miss.
 *
 * Bump {@link SUMMARY_FORMAT_VERSION} whenever FileSummary's shape or meaning changes (a field
 * added, a field read differently): every stored summary is then a miss.
 */
import type { FileSummary } from "./file-summary.js";

export const SUMMARY_FORMAT_VERSION = 3;

/** The JSON of a summary without its `file` (the cache shares one entry between files of equal text). */
export type EncodedSummary = unknown;

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

const ARRAY = "a";
const MAP = "m";
const UNDEFINED = "u";
const NUMBER = "n";
/** A source location (`{ start, end, range }`, most of a summary's objects): its six numbers. */
const LOC = "l";

export class SummaryDecodeError extends Error {
  override readonly name = "SummaryDecodeError";
}

/** Throws on a value a summary never holds (a class instance, a function): such a summary is not cached. */
export function encodeSummary(summary: FileSummary): EncodedSummary {
  const { file: _file, ...rest } = summary;
  return encode(rest);
}

/** The summary of `file` stored as {@link encodeSummary} wrote it; throws {@link SummaryDecodeError} on anything else. */
export function decodeSummary(encoded: EncodedSummary, file: string): FileSummary {
  const value = decode(encoded as Encoded);
  checkShape(value);
  return { ...value, file };
}

function encode(value: unknown): Encoded {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (value === undefined) return [UNDEFINED];
  if (typeof value === "number") return Object.is(value, -0) ? [NUMBER, "-0"] : Number.isFinite(value) ? value : [NUMBER, String(value)];
  if (Array.isArray(value)) return [ARRAY, ...value.map(encode)];
  if (value instanceof Map) return [MAP, ...[...value].map(([k, v]): Encoded => [typeof k === "string" ? k : fail("a Map key that is not a string"), encode(v)])];
  const proto = Object.getPrototypeOf(value) as unknown;
  if (typeof value === "object" && (proto === Object.prototype || proto === null)) {
    if (isPlainLoc(value)) return [LOC, value.start, value.end, value.range.start.line, value.range.start.character, value.range.end.line, value.range.end.character];
    const out: { [key: string]: Encoded } = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v);
    return out;
  }
  return fail(`a value a summary never holds (${typeof value})`);
}

// Index loops, no spread or entries arrays: a warm check decodes 500 summaries, and what it
// allocates beyond the summaries themselves is time in the collector.
function decode(value: Encoded): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const n = value.length - 1;
    switch (value[0]) {
      case ARRAY: {
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = decode(value[i + 1]!);
        return out;
      }
      case UNDEFINED:
        return n === 0 ? undefined : fail("undefined with a value");
      case NUMBER: {
        const text = value[1];
        return n === 1 && (text === "NaN" || text === "Infinity" || text === "-Infinity" || text === "-0") ? Number(text) : fail("a bad number");
      }
      case LOC: {
        if (n !== 6) fail("a bad location");
        for (let i = 1; i <= 6; i++) if (typeof value[i] !== "number") fail("a bad location");
        return { start: value[1], end: value[2], range: { start: { line: value[3], character: value[4] }, end: { line: value[5], character: value[6] } } };
      }
      case MAP: {
        const out = new Map<string, unknown>();
        for (let i = 1; i <= n; i++) {
          const entry = value[i];
          if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") fail("a bad Map entry");
          out.set(entry[0] as string, decode(entry[1]!));
        }
        return out;
      }
      default:
        return fail(`an array tagged ${JSON.stringify(value[0])}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k in value) {
    // Encoding never writes one (assigning it would set the prototype), so it is not ours.
    if (k === "__proto__") fail("a __proto__ key");
    out[k] = decode(value[k]!);
  }
  return out;
}

/** Exactly a `Loc` of plain objects and finite numbers (anything more or less is encoded key by key). */
function isPlainLoc(value: object): value is { start: number; end: number; range: { start: { line: number; character: number }; end: { line: number; character: number } } } {
  const v = value as Record<string, unknown>;
  if (!hasKeys(v, ["start", "end", "range"]) || !isFiniteNumber(v.start) || !isFiniteNumber(v.end)) return false;
  const range = v.range as Record<string, unknown> | null;
  if (typeof range !== "object" || range === null || Object.getPrototypeOf(range) !== Object.prototype || !hasKeys(range, ["start", "end"])) return false;
  return [range.start, range.end].every((p) => typeof p === "object" && p !== null && Object.getPrototypeOf(p) === Object.prototype && hasKeys(p as Record<string, unknown>, ["line", "character"]) && isFiniteNumber((p as Record<string, unknown>).line) && isFiniteNumber((p as Record<string, unknown>).character));
}

function hasKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k, i) => own[i] === k);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0);
}

/** Enough of FileSummary's shape that a foreign or stale entry cannot pass for a summary. */
function checkShape(value: unknown): asserts value is Omit<FileSummary, "file"> {
  const s = isObject(value) ? value : fail("not an object");
  if (typeof s.importsTributary !== "boolean" || typeof s.surfaceKey !== "string") fail("bad importsTributary or surfaceKey");
  const imports = mapOf(s.imports, "imports");
  for (const binding of imports.values()) if (!isObject(binding) || typeof binding.specifier !== "string" || typeof binding.imported !== "string") fail("a bad import");
  for (const local of mapOf(s.exports, "exports").values()) if (typeof local !== "string") fail("a bad export");
  for (const r of arrayOf(s.reexports, "reexports")) if (!isObject(r) || !["named", "star", "namespace"].includes(r.kind as string) || typeof r.specifier !== "string") fail("a bad re-export");
  for (const [name, d] of mapOf(s.declarations, "declarations")) {
    if (!isObject(d) || d.name !== name || !["const", "function", "type", "other"].includes(d.kind as string) || !isLoc(d.loc)) fail(`a bad declaration ${name}`);
  }
  arrayOf(s.calls, "calls").forEach((c, i) => {
    if (!isObject(c) || c.id !== i || !isObject(c.callee) || !Array.isArray(c.args) || !isLoc(c.loc) || !isLoc(c.calleeLoc)) fail(`a bad call ${i}`);
  });
  arrayOf(s.containers, "containers").forEach((c, i) => {
    if (!isObject(c) || c.id !== i || !["call-argument", "helper", "nested"].includes(c.kind as string) || !isObject(c.parameters) || !isLoc(c.loc)) fail(`a bad container ${i}`);
  });
  for (const x of arrayOf(s.suppressions, "suppressions")) if (!isObject(x) || typeof x.line !== "number" || !Array.isArray(x.codes)) fail("a bad suppression");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

function isLoc(value: unknown): boolean {
  return isObject(value) && typeof value.start === "number" && typeof value.end === "number" && isObject(value.range);
}

function mapOf(value: unknown, what: string): Map<string, unknown> {
  return value instanceof Map ? (value as Map<string, unknown>) : fail(`${what} is not a Map`);
}

function arrayOf(value: unknown, what: string): unknown[] {
  return Array.isArray(value) ? value : fail(`${what} is not an array`);
}

function fail(what: string): never {
  throw new SummaryDecodeError(`Not a stored file summary: ${what}.`);
}

/** Any value made of what a summary holds (plain objects, arrays, Maps with string keys, undefined), as JSON. */
export function encodeValue(value: unknown): unknown {
  return encode(value);
}

/** A value {@link encodeValue} wrote; throws {@link SummaryDecodeError} on anything else. */
export function decodeValue(encoded: unknown): unknown {
  return decode(encoded as Encoded);
}
