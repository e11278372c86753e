/**
 * The events that are broadcast on the live stream but not stored (EventHub.broadcast): a task
 * run's state changes and a run's log lines, built from the engine's RunEvents wherever a run
 * executes — the worker's children, a `tributary run` command (posted to
 * `POST /api/events/broadcast`), the embedded server. Shapes: contract.ts.
 */
import type { RunEvent } from "../engine/run-events.js";
import type { LogRecord, TaskRunRecord } from "../store/records.js";
import type { LogEventPayload, TaskRunEventPayload, TributaryEvent } from "./contract.js";
import type { EventInput } from "./event-hub.js";

/** `tributary.task-run.<StateName>` for a task run as it is after a state change. */
export function taskRunEvent(run: TaskRunRecord): EventInput {
  const payload: TaskRunEventPayload = {
    taskRun: run,
    state: { type: run.state.type, name: run.state.name, ...(run.state.message !== undefined ? { message: run.state.message } : {}) },
  };
  return {
    event: `tributary.task-run.${run.state.name}`,
    occurred: run.state.timestamp,
    resource: { id: `tributary.task-run.${run.id}`, name: run.name, taskName: run.taskName, tags: run.tags },
    related: [{ id: `tributary.flow-run.${run.flowRunId}` }],
    payload: payload as unknown as TributaryEvent["payload"],
  };
}

/** `tributary.log` for one line of a run's log. */
export function logEvent(log: LogRecord): EventInput {
  const payload: LogEventPayload = {
    flowRunId: log.flowRunId,
    ...(log.taskRunId !== undefined ? { taskRunId: log.taskRunId } : {}),
    level: log.level,
    message: log.message,
    timestamp: log.timestamp,
  };
  return {
    event: "tributary.log",
    occurred: log.timestamp,
    resource: { id: log.taskRunId !== undefined ? `tributary.task-run.${log.taskRunId}` : `tributary.flow-run.${log.flowRunId}` },
    related: [{ id: `tributary.flow-run.${log.flowRunId}` }],
    payload: payload as unknown as TributaryEvent["payload"],
  };
}

/** The broadcast event of a task-run change or a log line; undefined for a flow-run change (that one is stored). */
export function liveEventOf(event: RunEvent): EventInput | undefined {
  if (event.kind === "task-run") return taskRunEvent(event.run);
  if (event.kind === "log") return logEvent(event.log);
  return undefined;
}
