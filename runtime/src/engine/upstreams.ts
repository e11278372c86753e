/**
 * Futures among a task's arguments (at any depth of arrays and plain objects) and in `waitFor`:
 * the run waits for them, records them as its upstreams, and receives their results in their place.
 */
import {
  allowFailureValue,
  futureHandle,
  isAllowFailure,
  isTaskFuture,
} from "../futures.js";
import type { TaskRunHandle } from "./task-run-handle.js";

export interface Upstreams {
  /** Every upstream run, once each, in the order met. */
  handles: TaskRunHandle[];
  /** Upstreams whose failure keeps this run from running (those not under `allowFailure`). */
  required: Set<TaskRunHandle>;
}

/** The upstreams among `args` and `waitFor`, or undefined when there are none (the common case). */
export function collectUpstreams(args: readonly unknown[], waitFor: readonly unknown[]): Upstreams | undefined {
  let found: Upstreams | undefined;
  const visit = (value: unknown, allowed: boolean, seen: Set<object> | undefined): void => {
    if (typeof value !== "object" || value === null) return;
    if (isTaskFuture(value)) {
      const handle = futureHandle(value);
      found ??= { handles: [], required: new Set() };
      if (!found.handles.includes(handle)) found.handles.push(handle);
      if (!allowed) found.required.add(handle);
      return;
    }
    if (isAllowFailure(value)) {
      visit(allowFailureValue(value), true, seen);
      return;
    }
    if (!Array.isArray(value) && !isPlainObject(value)) return;
    seen ??= new Set();
    if (seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) for (const item of value) visit(item, allowed, seen);
    else for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], allowed, seen);
  };
  for (const arg of args) visit(arg, false, undefined);
  for (const item of waitFor) visit(item, false, undefined);
  return found;
}

/**
 * The arguments with every future replaced by its result, and every `allowFailure(x)` by x's value
 * (a failed future's Error in place of its result). Containers without futures are passed as they are.
 */
export function resolveArguments(args: readonly unknown[]): unknown[] {
  return args.map((arg) => resolveValue(arg, false));
}

function resolveValue(value: unknown, allowed: boolean): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isTaskFuture(value)) {
    const outcome = futureHandle(value).outcome;
    if (outcome === undefined) return undefined; // cannot happen: upstreams are awaited first
    if (outcome.ok) return outcome.value;
    return allowed ? (outcome.cause ?? outcome.error) : undefined;
  }
  if (isAllowFailure(value)) return resolveValue(allowFailureValue(value), true);
  if (Array.isArray(value)) {
    if (!value.some(holdsFuture)) return value;
    return value.map((item) => resolveValue(item, allowed));
  }
  if (isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    if (!Object.keys(record).some((key) => holdsFuture(record[key]))) return value;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(record)) copy[key] = resolveValue(record[key], allowed);
    return copy;
  }
  return value;
}

function holdsFuture(value: unknown, depth = 0): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (isTaskFuture(value) || isAllowFailure(value)) return true;
  if (depth > 64) return false;
  if (Array.isArray(value)) return value.some((item) => holdsFuture(item, depth + 1));
  if (isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    return Object.keys(record).some((key) => holdsFuture(record[key], depth + 1));
  }
  return false;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
