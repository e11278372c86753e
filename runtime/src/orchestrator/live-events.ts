/**
 * The events that are broadcast on the live stream but not stored (EventHub.broadcast): a task
 * run's state changes and a run's log lines, built from the engine's RunEvents wherever a run
 * executes — the worker's children, a `tributary run` command (posted to
 * `POST /api/events/broadcast`), the embedded server. Shapes: contract.ts.
 */
import type { RunEvent } from "../engine/run-events.js";
import type { LogRecord, TaskRunRecord } from "../store/records.js";
import type { FlowRunEventPayload, LogEventPayload, TaskRunEventPayload, TributaryEvent } from "./contract.js";
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

/**
 * The engine's RunEvent that a hub event carries — a flow run's stored change, a task run's
 * broadcast change, a log line — for showing runs that execute elsewhere (the worker's children)
 * as if they ran here; undefined for other events.
 */
export function runEventOf(event: TributaryEvent): RunEvent | undefined {
  const payload = event.payload as unknown as Partial<FlowRunEventPayload & TaskRunEventPayload> & Partial<LogEventPayload>;
  if (event.event.startsWith("tributary.flow-run.") && payload.flowRun !== undefined) return { kind: "flow-run", run: payload.flowRun };
  if (event.event.startsWith("tributary.task-run.") && payload.taskRun !== undefined) return { kind: "task-run", run: payload.taskRun };
  if (event.event === "tributary.log" && payload.flowRunId !== undefined && payload.level !== undefined) {
    const log: LogRecord = { flowRunId: payload.flowRunId, level: payload.level, message: payload.message ?? "", timestamp: payload.timestamp ?? event.occurred };
    if (payload.taskRunId !== undefined) log.taskRunId = payload.taskRunId;
    return { kind: "log", log };
  }
  return undefined;
}
