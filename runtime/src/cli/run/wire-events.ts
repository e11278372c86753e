/**
 * Run events as they cross a runner's channel to its parent. A run's first event carries its whole
 * record; each later one only the fields that changed since the one before (a state, a time, a
 * result), so a task's three events are one record and two small changes, not three records to
 * serialise, write and parse. The parent puts the records back together (ReportedRuns.receive).
 */
import type { RunEvent } from "../../engine/run-events.js";
import { isFinal } from "../../states.js";
import type { FlowRunRecord, JsonValue, TaskRunRecord } from "../../store/records.js";

type AnyRun = FlowRunRecord | TaskRunRecord;

/** What changed in a run since its previous event: fields set anew, and fields it no longer has. */
export interface RunChange {
  kind: "flow-run-change" | "task-run-change";
  id: string;
  changed: Record<string, JsonValue>;
  removed?: string[];
}

export type WireEvent = RunEvent | RunChange;

/** A flow run's event, whole or a change: a batch holding one is committed and sent at once. */
export const isFlowRunEvent = (event: WireEvent): boolean => event.kind === "flow-run" || event.kind === "flow-run-change";

/** The child's side: remembers the last record sent of each run that is not over yet. */
export class WireEncoder {
  private readonly sent = new Map<string, AnyRun>();

  encode(event: RunEvent): WireEvent {
    if (event.kind === "log") return event;
    const { run } = event;
    const previous = this.sent.get(run.id);
    // A run in a final state sends nothing more, as a rule; should it, its record goes whole.
    if (isFinal(run.state)) this.sent.delete(run.id);
    else this.sent.set(run.id, run);
    if (previous === undefined) return event;
    // Records are shallow copies made per event (task-run.ts, flow-run.ts): a field the engine did
    // not set anew is the same value or the same object.
    const next = run as unknown as Record<string, JsonValue | undefined>;
    const before = previous as unknown as Record<string, JsonValue | undefined>;
    const changed: Record<string, JsonValue> = {};
    for (const key in next) {
      const value = next[key];
      if (value !== before[key] && value !== undefined) changed[key] = value;
    }
    let removed: string[] | undefined;
    for (const key in before) {
      if (before[key] !== undefined && next[key] === undefined) (removed ??= []).push(key);
    }
    const kind = event.kind === "flow-run" ? "flow-run-change" : "task-run-change";
    return removed === undefined ? { kind, id: run.id, changed } : { kind, id: run.id, changed, removed };
  }
}

/** The record a change makes of the run's previous one. */
export function applyRunChange<R extends AnyRun>(previous: R, change: RunChange): R {
  const run = { ...previous, ...change.changed } as R;
  for (const key of change.removed ?? []) delete (run as unknown as Record<string, unknown>)[key];
  return run;
}
