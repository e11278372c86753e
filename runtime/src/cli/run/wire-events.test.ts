import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "../../engine/run-events.js";
import { makeState, type StateName } from "../../states.js";
import type { TaskRunRecord } from "../../store/records.js";
import { ReportedRuns } from "./reported-runs.js";
import { WireEncoder, type WireEvent } from "./wire-events.js";

const at = (ms: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, 0, ms));

/** A task run's events as the engine emits them: a shallow copy of the one record per transition. */
function taskRunEvents(): RunEvent[] {
  const record: TaskRunRecord = { id: "t1", flowRunId: "f1", name: "fetch-0", taskName: "fetch", state: makeState("Pending", at(0)), attempts: 1, tags: ["io"], upstreamTaskRunIds: ["t0"], createdAt: at(0).toISOString() };
  const events: RunEvent[] = [];
  const enter = (name: StateName, ms: number, message?: string) => {
    record.state = makeState(name, at(ms), message);
    events.push({ kind: "task-run", run: { ...record } });
  };
  events.push({ kind: "task-run", run: { ...record } });
  record.startTime = at(1).toISOString();
  enter("Running", 1);
  record.endTime = at(2).toISOString();
  enter("AwaitingRetry", 2, "boom");
  delete record.endTime;
  record.attempts = 2;
  enter("Retrying", 3);
  record.endTime = at(4).toISOString();
  record.result = { rows: [1, 2, 3] };
  enter("Completed", 4);
  return events;
}

/** Through the channel: JSON, as the IPC channel serialises it. */
const overTheWire = (event: WireEvent): WireEvent => JSON.parse(JSON.stringify(event)) as WireEvent;

describe("run events over a runner's channel", () => {
  it("a run's first event goes whole, each later one as what changed, and the parent gets every record back as it was", () => {
    const encoder = new WireEncoder();
    const reported = new ReportedRuns();
    const events = taskRunEvents();
    const wire = events.map((event) => overTheWire(encoder.encode(event)));
    assert.equal(wire[0]!.kind, "task-run");
    assert.deepEqual(
      wire.slice(1).map((event) => (event.kind === "task-run-change" ? [Object.keys(event.changed).sort(), event.removed ?? []] : event.kind)),
      [
        [["startTime", "state"], []],
        [["endTime", "state"], []],
        [["attempts", "state"], ["endTime"]],
        [["endTime", "result", "state"], []],
      ],
      "only the fields set anew travel (not the name, tags or upstream ids), and a field dropped is named",
    );
    assert.deepEqual(wire.map((event) => reported.receive(event)), events.map((event) => overTheWire(event)));
  });

  it("a run in a final state is forgotten by the sender: a later event of it goes whole, and log lines go as they are", () => {
    const encoder = new WireEncoder();
    const events = taskRunEvents();
    for (const event of events) encoder.encode(event);
    assert.equal(encoder.encode(events.at(-1)!).kind, "task-run");
    const log: RunEvent = { kind: "log", log: { flowRunId: "f1", level: "info", message: "a line", timestamp: at(5).toISOString() } };
    assert.equal(encoder.encode(log), log);
  });

  it("a change to a run the parent never got whole is refused, naming the run", () => {
    assert.throws(() => new ReportedRuns().receive({ kind: "task-run-change", id: "t9", changed: { state: makeState("Running", at(0)) as never } }), /run t9 before its record/);
  });
});
