/**
 * The parameters of `tributary run`: `--params '{"a": 1}'` gives an object, each `--param k=v`
 * sets one key on top of it. A `--param` value is JSON when it parses as JSON (`n=5`, `on=true`,
 * `ids=[1,2]`), otherwise the text as given (`name=alice`).
 */
import { UsageError } from "../../errors.js";
import type { JsonValue } from "../../store/records.js";

export function parseRunParameters(paramsJson: string | undefined, params: readonly string[]): Record<string, JsonValue> {
  const parameters: Record<string, JsonValue> = paramsJson === undefined ? {} : parseParamsObject(paramsJson);
  for (const param of params) {
    const [key, value] = parseParam(param);
    parameters[key] = value;
  }
  return parameters;
}

function parseParamsObject(text: string): Record<string, JsonValue> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--params ${quote(text)} is not valid JSON (${(error as Error).message}); pass an object such as --params '{"batchSize": 5}'.`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`--params must be a JSON object such as '{"batchSize": 5}', got ${describe(value)}: ${quote(text)}.`);
  }
  return value as Record<string, JsonValue>;
}

function parseParam(param: string): [string, JsonValue] {
  const equals = param.indexOf("=");
  if (equals < 0) throw new UsageError(`--param ${quote(param)} has no "="; write it as --param ${param || "name"}=<value>.`);
  const key = param.slice(0, equals).trim();
  if (key === "") throw new UsageError(`--param ${quote(param)} has no name before "="; write it as --param name=<value>.`);
  const text = param.slice(equals + 1);
  try {
    return [key, JSON.parse(text) as JsonValue];
  } catch {
    return [key, text];
  }
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
