/**
 * Checks a request's path parameters, query and body against its route's schemas
 * (contract-schemas.ts) before the handler runs. Whatever does not fit is a 400 whose message
 * names the field, says what it must be and what came — never a 500 from deep inside a handler.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { ApiError, badRequest } from "./api-error.js";
import { ROUTE_SCHEMAS, type RouteSchema } from "./contract-schemas.js";
import type { ROUTES } from "./contract.js";

export type RouteKey = keyof typeof ROUTES;

export interface RouteInput {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

interface CompiledRoute {
  schema: RouteSchema;
  params?: ValidateFunction;
  query?: ValidateFunction;
  body?: ValidateFunction;
}

// verbose: errors carry their schema, whose `description` says what a pattern means.
const ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
const compiled = new Map<RouteKey, CompiledRoute>();

function compiledFor(key: RouteKey): CompiledRoute {
  let route = compiled.get(key);
  if (!route) {
    const schema = ROUTE_SCHEMAS[key];
    route = { schema };
    if (schema.params) route.params = ajv.compile(schema.params);
    if (schema.query) route.query = ajv.compile(schema.query);
    if (schema.body) route.body = ajv.compile(schema.body);
    compiled.set(key, route);
  }
  return route;
}

/** The most bytes of body route `key` reads on a server whose bound is `serverMax`: the larger of the two. */
export function maxBodyBytesOf(key: RouteKey, serverMax: number): number {
  return Math.max(serverMax, ROUTE_SCHEMAS[key].maxBodyBytes ?? 0);
}

/** The query as one string per key; a key given twice is refused (which one would count?). */
export function queryObject(search: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of search) {
    if (Object.hasOwn(query, key)) throw badRequest(`The query parameter \`${key}\` is given more than once: give it once.`);
    query[key] = value;
  }
  return query;
}

/** Validates `input` for route `key` and returns it with the body in its normal form. */
export function validateRouteInput(key: RouteKey, input: RouteInput): RouteInput {
  const route = compiledFor(key);
  check(route.params, input.params, "path");
  const queryKeys = Object.keys(input.query);
  if (!route.query && queryKeys.length > 0) throw badRequest(`This route takes no query parameters, got \`${queryKeys[0]!}\`.`);
  check(route.query, input.query, "query");
  let body = input.body;
  if (route.schema.body === undefined) {
    if (body !== undefined && !isEmptyObject(body)) throw badRequest("This route takes no request body: send none (or `{}`).");
  } else if (body !== undefined) {
    body = route.schema.normalize ? route.schema.normalize(body) : body;
    check(route.body, body, "body");
  }
  return { ...input, body };
}

function check(validate: ValidateFunction | undefined, value: unknown, where: "path" | "query" | "body"): void {
  if (!validate || validate(value)) return;
  throw new ApiError(400, "BAD_REQUEST", describe(validate.errors?.[0], where, value));
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** `/deployments/0/tags` → `deployments[0].tags`. */
function fieldName(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name === "" ? part : `${name}.${part}`), "");
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split("/").slice(1)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return value;
}

function shown(value: unknown): string {
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (kind === "object" || kind === "array") return `an ${kind}`;
  const json = JSON.stringify(value) ?? String(value);
  return `${json.length > 60 ? `${json.slice(0, 57)}...` : json} (${kind})`;
}

function describe(error: ErrorObject | undefined, where: "path" | "query" | "body", root: unknown): string {
  const place = where === "path" ? "path parameter" : where === "query" ? "query parameter" : "field";
  if (!error) return `The request's ${where} is not valid.`;
  const field = fieldName(error.instancePath);
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `The ${place} \`${field === "" ? missing : `${field}.${missing}`}\` is required.`;
  }
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `Unknown ${place} \`${field === "" ? extra : `${field}.${extra}`}\`: leave it out (see contract.ts for the fields this route takes).`;
  }
  if (error.keyword === "maxProperties" && (error.params as { limit: number }).limit === 0) return "This route takes no request body: send none (or `{}`).";
  const expected = expectation(error);
  if (field === "") return `The request ${where} ${expected}, got ${shown(root)}.`;
  return `The ${place} \`${field}\` ${expected}, got ${shown(valueAt(root, error.instancePath))}.`;
}

function expectation(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `must be ${article(String(params.type).replace(",", " or "))}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return `must be ${(error.parentSchema as { description?: string } | undefined)?.description ?? `text matching ${String(params.pattern)}`}`;
    case "maxLength":
      return `must be at most ${String(params.limit)} characters long`;
    case "minLength":
      return "must not be empty";
    case "maxItems":
      return `must have at most ${String(params.limit)} items`;
    case "minItems":
      return `must have at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`;
    case "minimum":
      return `must be at least ${String(params.limit)}`;
    default:
      return error.message ?? "is not valid";
  }
}

function article(type: string): string {
  if (type === "integer") return "a whole number";
  if (type === "array") return "an array (a JSON list)";
  if (type === "object") return "an object";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
