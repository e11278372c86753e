/**
 * The child's run events, sent to the parent in batches: one IPC message per event-loop turn (or
 * per MAX_BATCH events, so that a long loop of awaited tasks, which never yields the turn, still
 * shows progress) instead of one per event. A message costs a serialisation and a write to the
 * channel; three per task made `tributary run` several times slower than the engine.
 *
 * A flow run's state change and a log line are sent at once, with what is queued before them: the
 * flow's code may block the event loop right after one (a CPU-bound loop), and then no turn ends;
 * the parent must still see the line and the run (its watchdog stops such a run). Task runs' state
 * changes, three per task, are what is batched; a task that blocks the loop forever without
 * logging a line may leave its last ones unsent, and the run ends without them.
 */
import type { RunEvent } from "../../engine/run-events.js";
import { WireEncoder, type WireEvent } from "./wire-events.js";

/** Events per message at most: a sequential loop of tasks sends every 100 or so tasks. */
export const MAX_BATCH = 300;

export class EventBatches {
  private pending: WireEvent[] = [];
  private scheduled = false;
  /** The events go as their runs' changes (wire-events.ts): one encoder per channel's run. */
  private readonly encoder = new WireEncoder();

  constructor(
    /** Sends one batch, in order; called with at least one event. */
    private readonly send: (events: WireEvent[]) => void,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  add(event: RunEvent): void {
    this.pending.push(this.encoder.encode(event));
    if (event.kind !== "task-run" || this.pending.length >= this.maxBatch) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Sends what is queued now: before any message that must come after the events (the run finished). */
  flush(): void {
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.send(events);
  }
}
