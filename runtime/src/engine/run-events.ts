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

  /**
   * Resolves with the first event from now on that `predicate` accepts; rejects if `signal` aborts first.
   *
   * @example
   * const done = events.waitFor((e) => e.kind === "flow-run" && e.run.id === id && e.run.state.type === "COMPLETED");
   */
  waitFor(predicate: (event: RunEvent) => boolean, signal?: AbortSignal): Promise<RunEvent> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        unsubscribe();
        reject(signal?.reason);
      };
      const unsubscribe = this.subscribe((event) => {
        if (!predicate(event)) return;
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        resolve(event);
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  get size(): number {
    return this.listeners.size;
  }
}
