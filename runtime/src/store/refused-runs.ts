/**
 * What a store remembers of the runs whose process's writes it refused (records.ts, RunFence): the
 * listeners to tell, and the fences already refused, so that what the process writes for that
 * execution afterwards is dropped before it is queued — its run is someone else's now, and one
 * refusal is all the process needs to stop.
 */
import type { RefusedRun, RunFence } from "./records.js";

export type RefusedRunsListener = (refused: readonly RefusedRun[]) => void;

export class RefusedRuns {
  private readonly fences = new Set<string>();
  private readonly listeners = new Set<RefusedRunsListener>();

  /** Whether a write under `fence` is refused already, and so need not be queued. */
  refuses(fence: RunFence | undefined): boolean {
    return fence !== undefined && this.fences.size > 0 && this.fences.has(keyOf(fence));
  }

  onRefused(listener: RefusedRunsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Notes what a commit refused and tells the listeners of the runs not reported before. */
  report(refused: readonly RefusedRun[]): void {
    const news = refused.filter((run) => {
      const key = keyOf(run);
      if (this.fences.has(key)) return false;
      this.fences.add(key);
      return true;
    });
    if (news.length === 0) return;
    for (const listener of [...this.listeners]) listener(news);
  }
}

/**
 * What became of a run whose process's writes were refused, in words:
 * `Flow run 0193… is Crashed now; the store refused this process's writes to it`.
 */
export function describeRefusedRun(refused: RefusedRun): string {
  const current = refused.current;
  const now =
    current === undefined
      ? "is not in the store any more"
      : current.epoch !== refused.epoch
        ? `was handed to a new execution (it is ${current.state.name} now)`
        : `is ${current.state.name} now`;
  return `Flow run ${refused.flowRunId} ${now}; the store refused this process's writes to it`;
}

function keyOf(fence: { flowRunId: string; epoch: number }): string {
  return `${fence.epoch}:${fence.flowRunId}`;
}
