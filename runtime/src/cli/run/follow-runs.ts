/**
 * Follows a run and every run it leads to — subflow runs, runs of deployments it started, runs
 * automations started because of it (their causal chain names it) — over the server's event
 * stream, printing one line per state change, until all of them are final.
 *
 * An automation acts a moment after the run it reacts to has ended, so "all final" is not the
 * end: `settle` waits a grace window more, and every event about a followed run (a new triggered
 * run, an automation firing or refusing because of one) starts the wait again.
 */
import { isFinal, type State } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import type { FlowRunEventPayload, TributaryEvent } from "../../orchestrator/contract.js";
import type { OutputStream } from "../cli-context.js";
import { formatClock } from "../render/format-time.js";

export class RunFollower {
  /** Every run followed, latest record first seen → last. */
  readonly runs = new Map<string, FlowRunRecord>();
  private readonly waiters: (() => void)[] = [];
  private readonly activityListeners = new Set<() => void>();

  constructor(
    private readonly roots: Set<string>,
    private readonly out: OutputStream | undefined,
  ) {}

  /** Feed every event of the stream. */
  onEvent(event: TributaryEvent): void {
    if (!event.event.startsWith("tributary.flow-run.")) {
      if (event.event.startsWith("tributary.automation.") && this.related(event.chain)) this.notifyActivity();
      if (event.event === "tributary.automation.refused" && this.related(event.chain)) {
        this.out?.write(`${formatClock(event.occurred)}  automation ${event.resource.name ?? event.resource.id} refused: ${String(event.payload.reason ?? "")}\n`);
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
    const previous = this.runs.get(run.id);
    this.runs.set(run.id, run);
    this.notifyActivity();
    if (previous?.state.name !== run.state.name) this.print(run, event.resource.deploymentName as string | undefined);
    if (this.allFinal()) for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Adds a run to follow (the run a command just created), with what is known of it. */
  follow(run: FlowRunRecord): void {
    this.roots.add(run.id);
    if (!this.runs.has(run.id)) {
      this.runs.set(run.id, run);
      this.print(run, undefined);
    }
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

  private print(run: FlowRunRecord, deploymentName: string | undefined): void {
    if (!this.out) return;
    const who = `${run.flowName}${deploymentName ? ` (${deploymentName})` : ""} ${run.name}`;
    this.out.write(`${formatClock(run.state.timestamp)}  ${who} ${describe(run.state)}\n`);
  }
}

function describe(state: State): string {
  const message = state.message !== undefined && state.type !== "COMPLETED" ? `: ${state.message.split("\n", 1)[0]}` : "";
  return `${state.name}${message}`;
}
