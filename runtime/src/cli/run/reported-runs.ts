/**
 * What the child told the parent about its runs, kept so that a child killed mid-run loses
 * nothing the parent saw. The child's store commits once per event-loop turn, so an event can
 * reach the parent before its write is committed; when the child dies, the parent writes the
 * transitions the store lacks, and only then marks the run `Crashed`.
 */
import type { RunEvent } from "../../engine/run-events.js";
import type { FlowRunRecord, RunPatch, TaskRunRecord } from "../../store/records.js";
import type { Store } from "../../store/store.js";
import { applyRunChange, type WireEvent } from "./wire-events.js";

type AnyRun = FlowRunRecord | TaskRunRecord;

export class ReportedRuns {
  /** Per run, one record per state it entered, in order (the last one updated in place). */
  private readonly flowRuns = new Map<string, FlowRunRecord[]>();
  private readonly taskRuns = new Map<string, TaskRunRecord[]>();

  /**
   * Takes an event as it came over the channel and returns it whole: a change (wire-events.ts) is
   * applied to the run's last record.
   */
  receive(event: WireEvent): RunEvent {
    switch (event.kind) {
      case "log":
        return event;
      case "flow-run":
        remember(this.flowRuns, event.run);
        return event;
      case "task-run":
        remember(this.taskRuns, event.run);
        return event;
      case "flow-run-change": {
        const run = applyRunChange(lastOf(this.flowRuns, event.id), event);
        remember(this.flowRuns, run);
        return { kind: "flow-run", run };
      }
      case "task-run-change": {
        const run = applyRunChange(lastOf(this.taskRuns, event.id), event);
        remember(this.taskRuns, run);
        return { kind: "task-run", run };
      }
    }
  }

  /**
   * Writes every reported run and transition the store does not hold, and commits. They are the
   * child's writes, fenced as the child's were (RunFence): a run ended or handed on meanwhile keeps
   * what the store holds.
   */
  async writeMissing(store: Store): Promise<void> {
    const fenceOf = (flowRunId: string) => ({ flowRunId, epoch: this.flowRuns.get(flowRunId)?.at(-1)?.epoch ?? 0 });
    for (const [id, records] of this.flowRuns) {
      const stored = await store.getFlowRun(id);
      if (!stored) store.createFlowRun(records[0]!);
      for (const record of after(records, stored)) store.updateFlowRun(id, patchOf(record), fenceOf(id));
    }
    for (const [id, records] of this.taskRuns) {
      const stored = await store.getTaskRun(id);
      if (!stored) store.createTaskRun(records[0]!);
      for (const record of after(records, stored)) store.updateTaskRun(id, patchOf(record), fenceOf(record.flowRunId));
    }
    await store.flush();
  }
}

function lastOf<R extends AnyRun>(runs: Map<string, R[]>, id: string): R {
  const last = runs.get(id)?.at(-1);
  // The child sends a run's whole record first, on the same ordered channel: a change without one is a bug.
  if (last === undefined) throw new Error(`The runner sent a change to run ${id} before its record.`);
  return last;
}

function remember<R extends AnyRun>(runs: Map<string, R[]>, run: R): void {
  const records = runs.get(run.id);
  if (!records) runs.set(run.id, [run]);
  else if (sameState(records.at(-1)!, run)) records[records.length - 1] = run;
  else records.push(run);
}

/** The records after the state the store holds (all but the first when it holds nothing). */
function after<R extends AnyRun>(records: R[], stored: AnyRun | undefined): R[] {
  if (!stored) return records.slice(1);
  const index = records.findIndex((record) => sameState(record, stored));
  return index >= 0 ? records.slice(index + 1) : records.filter((record) => record.state.timestamp > stored.state.timestamp);
}

function sameState(a: AnyRun, b: AnyRun): boolean {
  return a.state.name === b.state.name && a.state.timestamp === b.state.timestamp;
}

function patchOf(run: AnyRun): RunPatch {
  const patch: RunPatch = { state: run.state };
  if (run.startTime !== undefined) patch.startTime = run.startTime;
  if (run.endTime !== undefined) patch.endTime = run.endTime;
  if (run.result !== undefined) patch.result = run.result;
  if ("runCount" in run) {
    patch.runCount = run.runCount;
    if (run.pid !== undefined) patch.pid = run.pid;
    if (run.host !== undefined) patch.host = run.host;
    if (run.processStartTime !== undefined) patch.processStartTime = run.processStartTime;
  } else patch.attempts = run.attempts;
  return patch;
}
