/**
 * The parameters of `tributary run` and `deployment run`: `--params '{"a": 1}'` gives an object,
 * each `--param k=v` sets one key on top of it. A `--param` value is coerced by the flow's
 * parameter schema when there is one (`n=5` is a number for a number parameter, `label=7` stays
 * the text "7" for a string one: engine/parameter-schema.ts); without one it is JSON when it
 * parses as JSON (`n=5`, `on=true`, `ids=[1,2]`), otherwise the text as given (`name=alice`).
 * `--params @file.json` reads the object from a file: an argument is capped near 128 KB by the OS.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { coerceParameterText, type ParameterSchema } from "../../engine/parameter-schema.js";
import { UsageError } from "../../errors.js";
import type { JsonValue } from "../../store/records.js";

export function parseRunParameters(paramsJson: string | undefined, params: readonly string[], schema?: ParameterSchema): Record<string, JsonValue> {
  const parameters: Record<string, JsonValue> = paramsJson === undefined ? {} : parseParamsObject(paramsJson);
  for (const param of params) {
    const [key, text] = splitParam(param);
    parameters[key] = coerceParameterText(schema, key, text);
  }
  return parameters;
}

/**
 * The JSON text `--params` gives: the option itself, or, for `@<path>`, the content of that file
 * (relative to `cwd`), checked here so that a problem names the file: a missing or unreadable
 * file, invalid JSON, or JSON that is not an object is bad usage.
 */
export function readParamsOption(option: string | undefined, cwd: string): string | undefined {
  if (option === undefined || !option.startsWith("@")) return option;
  const given = option.slice(1);
  if (given.trim() === "") throw new UsageError(`--params "@" names no file; write it as --params @params.json.`);
  const file = path.resolve(cwd, given);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "there is no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
    throw new UsageError(`--params @${given}: cannot read ${file}: ${problem}.`);
  }
  // An editor on Windows may save the file with a byte-order mark, which JSON.parse refuses.
  const json = text.replace(/^\uFEFF/, "");
  parseParamsObject(json, `--params @${given}`);
  return json;
}

function parseParamsObject(text: string, source?: string): Record<string, JsonValue> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (source !== undefined) throw new UsageError(`${source}: the file is not valid JSON (${(error as Error).message}).`);
    throw new UsageError(
      `--params ${quote(text)} is not valid JSON (${(error as Error).message}); pass an object such as --params '{"batchSize": 5}'.`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    if (source !== undefined) throw new UsageError(`${source}: the file must hold a JSON object such as {"batchSize": 5}, not ${describe(value)}.`);
    throw new UsageError(`--params must be a JSON object such as '{"batchSize": 5}', got ${describe(value)}: ${quote(text)}.`);
  }
  return value as Record<string, JsonValue>;
}

function splitParam(param: string): [string, string] {
  const equals = param.indexOf("=");
  if (equals < 0) throw new UsageError(`--param ${quote(param)} has no "="; write it as --param ${param || "name"}=<value>.`);
  const key = param.slice(0, equals).trim();
  if (key === "") throw new UsageError(`--param ${quote(param)} has no name before "="; write it as --param name=<value>.`);
  return [key, param.slice(equals + 1)];
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `'${short}'`;
}
