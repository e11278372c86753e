/**
 * Log lines of a run: stored with the flow run (and task run) they belong to, and emitted as `log`
 * run events so that the CLI and the extension can follow a run live.
 */
import { format } from "node:util";
import type { LogLevel, LogRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { RunEventBus } from "./run-events.js";

/** Writes lines to the log of the current run. Arguments are formatted like `console.log`'s. */
export interface RunLogger {
  debug(message: unknown, ...args: unknown[]): void;
  info(message: unknown, ...args: unknown[]): void;
  warning(message: unknown, ...args: unknown[]): void;
  error(message: unknown, ...args: unknown[]): void;
}

export interface LogSink {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: RunEventBus;
}

export function writeRunLog(sink: LogSink, flowRunId: string, taskRunId: string | undefined, level: LogLevel, message: string): void {
  const log: LogRecord = { flowRunId, level, message, timestamp: sink.clock.now().toISOString() };
  if (taskRunId !== undefined) log.taskRunId = taskRunId;
  sink.store.appendLog(log);
  if (sink.events.size > 0) sink.events.emit({ kind: "log", log });
}

export function createRunLogger(sink: LogSink, flowRunId: string, taskRunId: string | undefined): RunLogger {
  const line =
    (level: LogLevel) =>
    (message: unknown, ...args: unknown[]) =>
      writeRunLog(sink, flowRunId, taskRunId, level, format(message, ...args));
  return { debug: line("debug"), info: line("info"), warning: line("warning"), error: line("error") };
}
