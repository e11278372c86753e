/**
 * What the engine tells the world as runs progress. The CLI's child runner forwards these over IPC
 * to render live progress; the orchestration server will publish them on its event stream.
 */
import type { FlowRunRecord, StoredLogRecord, TaskRunRecord } from "../store/records.js";

export type RunEvent =
  | { kind: "flow-run"; run: FlowRunRecord }
  | { kind: "task-run"; run: TaskRunRecord }
  | { kind: "log"; log: Omit<StoredLogRecord, "id"> };

export type RunEventListener = (event: RunEvent) => void;

/** A tiny synchronous fan-out; listeners must not throw (a throwing listener is removed). */
export class RunEventBus {
  private readonly listeners = new Set<RunEventListener>();

  subscribe(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: RunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
