/**
 * Follows a run and every run it leads to — subflow runs, runs of deployments it started, runs
 * automations started because of it (their causal chain names it) — over the server's event
 * stream, until all of them are final (watch-server-run.ts shows them as `tributary run` does).
 *
 * An automation acts a moment after the run it reacts to has ended, so "all final" is not the
 * end: `settle` waits a grace window more, and every event about a followed run (a new triggered
 * run, an automation firing or refusing because of one) starts the wait again.
 */
import { isFinal } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import type { FlowRunEventPayload, TributaryEvent } from "../../orchestrator/contract.js";

export class RunFollower {
  /** Every run followed, latest record first seen → last. */
  readonly runs = new Map<string, FlowRunRecord>();
  private readonly waiters: (() => void)[] = [];
  private readonly activityListeners = new Set<() => void>();

  constructor(
    private readonly roots: Set<string>,
    /** Told what happened to a followed run besides its states (an automation refused to act on it). */
    private readonly note: (message: string) => void = () => undefined,
  ) {}

  /** Feed every event of the stream. */
  onEvent(event: TributaryEvent): void {
    if (!event.event.startsWith("tributary.flow-run.")) {
      if (event.event.startsWith("tributary.automation.") && this.related(event.chain)) this.notifyActivity();
      if (event.event === "tributary.automation.refused" && this.related(event.chain)) {
        this.note(`Automation ${event.resource.name ?? event.resource.id} refused to act: ${String(event.payload.reason ?? "")}`);
      }
      return;
    }
    const payload = event.payload as unknown as FlowRunEventPayload;
    const run = payload.flowRun;
    if (run === undefined) return;
    if (!this.roots.has(run.id) && !this.runs.has(run.id)) {
      const linked = (run.parentFlowRunId !== undefined && this.runs.has(run.parentFlowRunId)) || this.related(run.chain ?? event.chain);
      if (!linked) return;
    }
    this.runs.set(run.id, run);
    this.notifyActivity();
    if (this.allFinal()) for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Adds a run to follow (the run a command just created), with what is known of it. */
  follow(run: FlowRunRecord): void {
    this.roots.add(run.id);
    if (!this.runs.has(run.id)) this.runs.set(run.id, run);
  }

  allFinal(): boolean {
    return [...this.roots].every((id) => this.runs.has(id)) && [...this.runs.values()].every((run) => isFinal(run.state));
  }

  /** Resolves when every followed run is final. */
  whenAllFinal(): Promise<void> {
    if (this.allFinal()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Resolves once every followed run is final and `graceMs` have gone by without an event about
   * them — the window in which automations start the runs they trigger.
   */
  async settle(graceMs: number): Promise<void> {
    for (;;) {
      await this.whenAllFinal();
      if (await this.quietFor(graceMs)) return;
    }
  }

  /** True when `ms` pass with no event about a followed run; false at the first such event. */
  private quietFor(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const onActivity = () => {
        clearTimeout(timer);
        this.activityListeners.delete(onActivity);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.activityListeners.delete(onActivity);
        resolve(this.allFinal());
      }, ms);
      this.activityListeners.add(onActivity);
    });
  }

  private notifyActivity(): void {
    for (const listener of [...this.activityListeners]) listener();
  }

  private related(chain: readonly { kind: string; id: string }[] | undefined): boolean {
    return (chain ?? []).some((link) => link.kind === "flow-run" && (this.runs.has(link.id) || this.roots.has(link.id)));
  }
}
