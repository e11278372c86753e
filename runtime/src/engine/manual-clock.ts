import type { Clock } from "./clock.js";

interface Sleeper {
  dueAt: number;
  ms: number;
  resolve: () => void;
}

/**
 * A Clock that moves only when told to. Tests use it to drive retry delays, timeouts and
 * concurrency back-offs without real waiting: wait until the engine sleeps (`whenSleeping`),
 * check how long it asked for, then `advance` time past it.
 *
 * @example
 * const clock = new ManualClock();
 * configureRuntime({ clock });
 * const run = flakyFlow();
 * await clock.whenSleeping();      // the engine is waiting to retry
 * clock.advance(clock.sleeps.at(-1)!);
 * await run;
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  private readonly sleepWaiters: { count: number; resolve: () => void }[] = [];
  /** Every duration (ms) passed to `sleep`, in the order asked for. */
  readonly sleeps: number[] = [];

  constructor(start: Date = new Date("2024-01-01T00:00:00.000Z")) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { dueAt: this.current + Math.max(0, ms), ms, resolve: () => undefined };
      const onAbort = () => {
        this.remove(sleeper);
        reject(signal?.reason);
      };
      sleeper.resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notifySleepWaiters();
    });
  }

  /** How many sleeps are waiting for time to move. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** Resolves as soon as at least `count` sleeps are pending (at once if they already are). */
  whenSleeping(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.sleepWaiters.push({ count, resolve }));
  }

  /** Moves time forward by `ms` and wakes every sleep that is due, earliest first. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`Expected \`ms\` to be a non-negative number, got \`${ms}\``);
    this.current += ms;
    const due = this.sleepers.filter((s) => s.dueAt <= this.current).sort((a, b) => a.dueAt - b.dueAt);
    for (const sleeper of due) {
      this.remove(sleeper);
      sleeper.resolve();
    }
  }

  /** Moves time to the earliest pending sleep's end and wakes it; returns how far time moved. */
  advanceToNextSleep(): number {
    if (this.sleepers.length === 0) throw new Error("No sleep is pending; await `whenSleeping()` first.");
    const next = Math.min(...this.sleepers.map((s) => s.dueAt));
    const step = Math.max(0, next - this.current);
    this.advance(step);
    return step;
  }

  private remove(sleeper: Sleeper): void {
    const index = this.sleepers.indexOf(sleeper);
    if (index >= 0) this.sleepers.splice(index, 1);
  }

  private notifySleepWaiters(): void {
    for (let i = this.sleepWaiters.length - 1; i >= 0; i--) {
      const waiter = this.sleepWaiters[i]!;
      if (this.sleepers.length >= waiter.count) {
        this.sleepWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
