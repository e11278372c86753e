/**
 * The scheduler: for every unpaused deployment with schedules it keeps the next few runs created
 * ahead of time (Scheduled, with their expected start), and marks a run `Late` when it has not
 * started `lateAfterMs` after its expected start. Runs made for a schedule carry the idempotency
 * key `schedule:<ISO time>`, so a restart (or two passes racing) never makes a duplicate. An RRULE
 * without `DTSTART` is anchored at the deployment's creation (stored with it), so its times — and
 * their keys — stay put from pass to pass and across restarts.
 *
 * It wakes on deployment changes and on one Clock timer for the earliest thing due (the next
 * scheduled time passing, or a run becoming late) — so a ManualClock drives it in tests.
 */
import type { Clock } from "../engine/clock.js";
import { compileSchedule } from "../schedules/schedule.js";
import { makeState } from "../states.js";
import type { Store } from "../store/store.js";
import type { DeploymentService } from "./deployment-service.js";
import type { EventHub } from "./event-hub.js";

/** Runs the scheduler made carry an idempotency key with this prefix (pausing deletes them). */
export const SCHEDULED_RUN_KEY_PREFIX = "schedule:";

export interface SchedulerOptions {
  store: Store;
  hub: EventHub;
  clock: Clock;
  deployments: DeploymentService;
  /** Whether a run is being executed (a run the worker has taken is never marked Late). */
  isExecuting: (flowRunId: string) => boolean;
  /** Called after runs were created, so the worker looks at them. */
  onRunsCreated: () => void;
  onError: (error: unknown) => void;
  /**
   * How many runs of each schedule exist ahead of time.
   * @default 3
   */
  runsAhead?: number;
  /**
   * How long after its expected start a run that has not started becomes Late.
   * @default 15000 (Prefect's 15 seconds)
   */
  lateAfterMs?: number;
}

export class Scheduler {
  private timer: AbortController | undefined;
  private running = false;
  private again = false;
  private closed = false;
  private readonly passWaiters: (() => void)[] = [];

  constructor(private readonly options: SchedulerOptions) {}

  /** Runs a pass soon (coalesced). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    setImmediate(() => void this.loop());
  }

  /** Resolves after the next complete pass (for tests and for `startServer`). */
  nextPass(): Promise<void> {
    return new Promise((resolve) => {
      this.passWaiters.push(resolve);
      this.wake();
    });
  }

  close(): void {
    this.closed = true;
    this.timer?.abort();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        const waiters = this.passWaiters.splice(0);
        await this.pass();
        for (const resolve of waiters) resolve();
      } while (this.again && !this.closed);
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.running = false;
    }
  }

  private async pass(): Promise<void> {
    const { store, clock, deployments, hub } = this.options;
    const runsAhead = this.options.runsAhead ?? 3;
    const lateAfter = this.options.lateAfterMs ?? 15000;
    const now = clock.now();
    let wakeAt = Infinity;
    let created = false;
    for (const deployment of await store.listDeployments()) {
      if (deployment.paused || deployment.schedules.length === 0) continue;
      for (const spec of deployment.schedules) {
        // An RRULE without DTSTART starts when the deployment was created, not at each pass.
        const times = compileSchedule(spec, { anchor: new Date(deployment.createdAt) }).next(runsAhead, now);
        if (times[0] !== undefined) wakeAt = Math.min(wakeAt, times[0].getTime());
        for (const time of times) {
          const result = await deployments.createRun(deployment.name, {
            scheduledTime: time.toISOString(),
            idempotencyKey: `${SCHEDULED_RUN_KEY_PREFIX}${time.toISOString()}`,
          });
          created ||= result.created;
        }
      }
    }
    for (const run of await store.listActiveFlowRuns()) {
      if (run.deploymentId === undefined || run.state.name !== "Scheduled" || this.options.isExecuting(run.id)) continue;
      const lateAt = Date.parse(run.expectedStartTime ?? run.createdAt) + lateAfter;
      if (lateAt > now.getTime()) {
        wakeAt = Math.min(wakeAt, lateAt);
        continue;
      }
      const state = makeState("Late", now, `Expected to start at ${run.expectedStartTime ?? run.createdAt}.`);
      // Only while it still waits: a worker (of this server or another on the database) may have claimed it.
      if (await store.transitionFlowRunIf(run.id, "SCHEDULED", state)) hub.publishFlowRun({ ...run, state });
    }
    await store.flush();
    if (created) this.options.onRunsCreated();
    this.setTimer(wakeAt, now.getTime());
  }

  private setTimer(wakeAt: number, now: number): void {
    this.timer?.abort();
    this.timer = undefined;
    if (!Number.isFinite(wakeAt) || this.closed) return;
    const timer = new AbortController();
    this.timer = timer;
    // A schedule's next time passing is what moves the window: wake just after it.
    this.options.clock.sleep(Math.max(0, wakeAt - now + 1), timer.signal).then(
      () => this.wake(),
      () => undefined,
    );
  }
}
