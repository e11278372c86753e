/**
 * Prefect 3's rule for a flow's final state: the flow fails when its function throws, or when it
 * returns a failed future or state — alone or inside an array or plain object. Futures it returns
 * are replaced by their results; states by their results. A failed task whose error the flow
 * caught and did not return does not fail the flow.
 */
import { futureHandle, isTaskFuture } from "../futures.js";
import { isFinal } from "../states.js";
import { isFlowRunState, type FlowRunState } from "./run-state.js";
import type { TaskRunHandle } from "./task-run-handle.js";

export type ReturnedValue = { ok: true; value: unknown } | { ok: false; error: Error; message: string };

export async function resolveReturnValue(value: unknown): Promise<ReturnedValue> {
  const handles: TaskRunHandle[] = [];
  const states: FlowRunState[] = [];
  collect(value, handles, states, new Set());
  if (handles.length === 0 && states.length === 0) return { ok: true, value };
  await Promise.all(handles.map((handle) => handle.done));

  const failures: { name: string; state: string; message: string | undefined; error: Error | undefined }[] = [];
  for (const handle of handles) {
    const outcome = handle.outcome!;
    if (!outcome.ok) {
      failures.push({ name: `task run '${handle.record.name}'`, state: outcome.state.name, message: outcome.state.message, error: outcome.error });
    }
  }
  for (const state of states) {
    if (isFinal(state) && state.type !== "COMPLETED") {
      failures.push({ name: `flow run ${state.flowRunId}`, state: state.name, message: state.message, error: state.error });
    }
  }
  if (failures.length > 0) {
    const total = handles.length + states.length;
    const describe = (f: (typeof failures)[number]) => `${f.name} (${f.state}${f.message ? `: ${f.message}` : ""})`;
    const message =
      total === 1
        ? `The flow returned a run that did not complete: ${describe(failures[0]!)}.`
        : `${failures.length} of ${total} returned runs did not complete: ${failures.map(describe).join(", ")}.`;
    return { ok: false, error: failures[0]!.error ?? new Error(message), message };
  }
  return { ok: true, value: replace(value, new Map()) };
}

function collect(value: unknown, handles: TaskRunHandle[], states: FlowRunState[], seen: Set<object>): void {
  if (typeof value !== "object" || value === null) return;
  if (isTaskFuture(value)) {
    const handle = futureHandle(value);
    if (!handles.includes(handle)) handles.push(handle);
    return;
  }
  if (isFlowRunState(value)) {
    states.push(value);
    return;
  }
  if (seen.has(value) || !(Array.isArray(value) || isPlainObject(value))) return;
  seen.add(value);
  if (Array.isArray(value)) for (const item of value) collect(item, handles, states, seen);
  else for (const key of Object.keys(value)) collect((value as Record<string, unknown>)[key], handles, states, seen);
}

function replace(value: unknown, done: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isTaskFuture(value)) return futureHandle(value).outcome?.value;
  if (isFlowRunState(value)) return value.result;
  if (done.has(value)) return done.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    done.set(value, copy);
    for (const item of value) copy.push(replace(item, done));
    return copy;
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    done.set(value, copy);
    for (const key of Object.keys(value)) copy[key] = replace((value as Record<string, unknown>)[key], done);
    return copy;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
