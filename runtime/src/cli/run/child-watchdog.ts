/**
 * What the parent of a child runner enforces from outside. The engine's timeouts, its cancellation
 * and its heartbeats run on the child's event loop, and a flow that spins the CPU
 * (`while (true) {}`) blocks that loop: only the process that started the child can still end the
 * run then. The watchdog decides when; its owner (child-run.ts) kills the child, and whoever
 * stores the outcome ends the run as the watchdog said (`Store.endAbandonedRun`).
 *
 * - **Timeout.** The child says the flow's `timeoutSeconds` when it starts the run. Each attempt's
 *   `Running` (or `Retrying`) starts the count; at the deadline the engine in the child ends the run
 *   `TimedOut` itself when its loop turns (the cooperative path); if the run is not final `graceMs`
 *   later, the child is stopped and the run ends `TimedOut`. A pause (`Paused`, then `Running`
 *   once resumed) does not restart the count: the engine's timeout keeps counting through it.
 *   A paused run's loop is idle, so its heartbeats go on and it is never taken for frozen.
 * - **Cancellation.** After the child has been asked to cancel, it has `graceMs` to end the run;
 *   then it is stopped and the run ends `Cancelled`.
 * - **Heartbeats** (when `heartbeatTimeoutMs` is set): a child that sends none for that long is
 *   frozen or spinning; it is stopped and the run ends `Crashed`.
 *
 * The timers are the real clock's, as are the child's: a ManualClock in a server test does not
 * reach into the child.
 */
import type { RunEvent } from "../../engine/run-events.js";
import { isFinal } from "../../states.js";
import type { AbandonedRunEnding } from "../../store/store.js";

export interface ChildWatchdogOptions {
  /**
   * How long the child has to end its run after being asked to (its timeout passed, a cancellation
   * was sent) before it is killed.
   * @default 2000
   * @example new ChildRun({ ..., watchdog: { graceMs: 5000 } })
   */
  graceMs?: number;
  /**
   * Kill the child when it sends no heartbeat for this long (the start message must ask for
   * heartbeats: `heartbeatMs`).
   * @default undefined (heartbeats are not watched)
   * @example new ChildRun({ ..., watchdog: { heartbeatTimeoutMs: 10_000 } })
   */
  heartbeatTimeoutMs?: number;
}

export const DEFAULT_GRACE_MS = 2000;

export class ChildWatchdog {
  private readonly graceMs: number;
  private timeoutSeconds: number | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private cancelGrace: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private finished = false;
  private stopped = false;
  private paused = false;

  constructor(
    private readonly flowRunId: string,
    options: ChildWatchdogOptions,
    private readonly stop: (ending: AbandonedRunEnding) => void,
  ) {
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    if (!(Number.isFinite(this.graceMs) && this.graceMs >= 0)) {
      throw new TypeError(`Expected \`graceMs\` to be a non-negative number of milliseconds, got \`${String(options.graceMs)}\`.`);
    }
    const heartbeatTimeoutMs = options.heartbeatTimeoutMs;
    if (heartbeatTimeoutMs !== undefined) {
      if (!(Number.isFinite(heartbeatTimeoutMs) && heartbeatTimeoutMs > 0)) {
        throw new TypeError(`Expected \`heartbeatTimeoutMs\` to be a positive number of milliseconds, got \`${String(heartbeatTimeoutMs)}\`.`);
      }
      this.heartbeat = this.after(heartbeatTimeoutMs, {
        state: "Crashed",
        message: `The flow run's process stopped answering (no heartbeat for ${seconds(heartbeatTimeoutMs)}) and was stopped.`,
      });
    }
  }

  /** The child picked the flow; `timeoutSeconds` is the flow's own. */
  onStarted(timeoutSeconds: number | undefined): void {
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Feed every run event of the child: the run's own state changes arm and clear the deadline. */
  onEvent(event: RunEvent): void {
    if (event.kind !== "flow-run" || event.run.id !== this.flowRunId) return;
    const state = event.run.state;
    if (isFinal(state)) {
      this.finished = true;
      clearTimeout(this.deadline);
      clearTimeout(this.cancelGrace);
    } else if (state.name === "Paused") this.paused = true;
    else if (this.paused && state.name === "Running") this.paused = false;
    else if (state.name === "Running" || state.name === "Retrying") {
      clearTimeout(this.deadline);
      if (this.timeoutSeconds === undefined) return;
      this.deadline = this.after(this.timeoutSeconds * 1000 + this.graceMs, {
        state: "TimedOut",
        message: `The flow run exceeded its timeout of ${this.timeoutSeconds} s; its process did not respond and was stopped.`,
      });
    } else if (state.name === "AwaitingRetry") clearTimeout(this.deadline);
  }

  onHeartbeat(): void {
    this.heartbeat?.refresh();
  }

  /** The child was asked to cancel the run with `reason` (a sentence). */
  onCancelRequested(reason: string): void {
    if (this.finished || this.cancelGrace !== undefined) return;
    this.cancelGrace = this.after(this.graceMs, {
      state: "Cancelled",
      message: `${reason} The flow run's process did not respond within ${seconds(this.graceMs)} and was stopped.`,
    });
  }

  /** The child is gone: nothing more to watch. */
  dispose(): void {
    this.stopped = true;
    for (const timer of [this.deadline, this.cancelGrace, this.heartbeat]) clearTimeout(timer);
  }

  private after(ms: number, ending: AbandonedRunEnding): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (this.stopped) return;
      this.dispose();
      this.stop(ending);
    }, ms);
    // The child process keeps its parent alive while it runs; these timers need not.
    timer.unref();
    return timer;
  }
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
