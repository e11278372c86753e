/**
 * The parameters of `tributary run` and `deployment run`: `--params '{"a": 1}'` gives an object,
 * each `--param k=v` sets one key on top of it. A `--param` value is coerced by the flow's
 * parameter schema when there is one (`n=5` is a number for a number parameter, `label=7` stays
 * the text "7" for a string one: engine/parameter-schema.ts); without one it is JSON when it
 * parses as JSON (`n=5`, `on=true`, `ids=[1,2]`), otherwise the text as given (`name=alice`).
 */
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
