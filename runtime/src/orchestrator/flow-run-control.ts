/**
 * Cancelling and retrying flow runs from the API. A run this server's worker executes is cancelled
 * through its child (it ends Cancelled); a run that has not started is cancelled at once; with
 * several servers on one database (`cluster`), a deployment run another server's worker executes
 * is moved to Cancelling in the store, and that server, hearing of it through the event relay,
 * cancels it in its runner (as a Prefect worker acts on a Cancelling run); a run executed by another
 * process (a `tributary run` command) can only be cancelled there.
 * Retrying a finished deployment run schedules it again under the same id (Prefect's retry).
 * Resuming a paused run moves it Paused → Running in the store, whichever process executes it: the
 * paused flow reads its run back every second (engine/pause-flow-run.ts) and carries on, and its
 * process reports the Running state as it reports every other, so this publishes nothing itself.
 * A run is named by its id, a unique prefix of it, or its name when one run has it (store/find-flow-run.ts).
 */
import type { Clock } from "../engine/clock.js";
import { isFinal, makeState } from "../states.js";
import type { FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { lookUpFlowRun } from "../store/find-flow-run.js";
import { badRequest, conflict, notFound } from "./api-error.js";
import type { EventHub } from "./event-hub.js";
import type { Worker } from "./worker.js";

export class FlowRunControl {
  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly clock: Clock,
    private readonly worker: Worker | undefined,
    /** Several servers share the database: another's worker may execute a deployment run. */
    private readonly cluster = false,
  ) {}

  /** The run `{id}` names: its id, a unique prefix of it, or its name (404 when none, 400 when several). */
  async get(id: string): Promise<FlowRunRecord> {
    const found = await lookUpFlowRun(this.store, id);
    if (found.run !== undefined) return found.run;
    throw found.problem === "ambiguous" ? badRequest(found.message) : notFound(found.message);
  }

  /**
   * Cancels the run and the unfinished deployment runs linked to it as subflows
   * (`parentFlowRunId`, runDeployment's `asSubflow`), theirs in turn; a linked run executed by
   * another process is left to its parent's own cancellation.
   */
  async cancel(id: string, reason = "Cancelled through the API."): Promise<FlowRunRecord> {
    const run = await this.get(id);
    if (isFinal(run.state)) return run;
    await this.cancelLinkedRuns(run);
    if (this.worker?.cancel(run.id, reason)) return run;
    if (run.state.type === "SCHEDULED" && run.deploymentId !== undefined) {
      const cancelled = await this.cancelWaiting(run, reason);
      if (cancelled !== undefined) return cancelled;
      if (this.worker?.cancel(run.id, reason)) return run;
    }
    if (this.cluster && run.deploymentId !== undefined) return this.requestCancel(run, reason);
    throw conflict(
      `Flow run ${run.name} is executed by process ${run.pid ?? "unknown"}, not by this server; cancel it there (Ctrl-C in its terminal).`,
    );
  }

  /**
   * A deployment run another server's worker executes (or has just claimed): Cancelling in the
   * store, published; that server cancels it when the event reaches it (start-server.ts). The move
   * is made only from the state just read, so a run that ended meanwhile keeps its end.
   */
  private async requestCancel(run: FlowRunRecord, reason: string): Promise<FlowRunRecord> {
    let current = run;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (isFinal(current.state) || current.state.type === "CANCELLING") return current;
      // Waiting again (its worker died and its flow retries it): nothing executes it to act on Cancelling.
      if (current.state.type === "SCHEDULED") {
        const cancelled = await this.cancelWaiting(current, reason);
        if (cancelled !== undefined) return cancelled;
        current = await this.get(current.id);
        continue;
      }
      const state = makeState("Cancelling", this.clock.now(), reason);
      if (await this.store.transitionFlowRunIf(current.id, current.state.type, state)) {
        const cancelling = { ...current, state };
        this.hub.publishFlowRun(cancelling);
        return cancelling;
      }
      current = await this.get(current.id);
    }
    throw conflict(`Flow run ${run.name} kept changing state (now ${current.state.name}) as it was being cancelled; cancel it again.`);
  }

  /** Cancels a deployment run that waits to start, if it still does (a worker may have just claimed it). */
  private async cancelWaiting(run: FlowRunRecord, reason: string): Promise<FlowRunRecord | undefined> {
    const at = this.clock.now();
    const state = makeState("Cancelled", at, reason);
    if (!(await this.store.transitionFlowRunIf(run.id, "SCHEDULED", state))) return undefined;
    this.store.updateFlowRun(run.id, { endTime: at.toISOString() });
    await this.store.flush();
    const cancelled = { ...run, state, endTime: at.toISOString() };
    this.hub.publishFlowRun(cancelled);
    return cancelled;
  }

  private async cancelLinkedRuns(parent: FlowRunRecord): Promise<void> {
    const children = await this.store.listFlowRuns({ parentFlowRunId: parent.id, limit: 10_000 });
    for (const child of children) {
      if (child.deploymentId === undefined || isFinal(child.state)) continue;
      try {
        await this.cancel(child.id, `Its parent flow run ${parent.name} was cancelled.`);
      } catch (error) {
        if ((error as { status?: number }).status !== 409) throw error;
      }
    }
  }

  async retry(id: string): Promise<FlowRunRecord> {
    const run = await this.get(id);
    if (run.deploymentId === undefined) {
      throw conflict(`Flow run ${run.name} is not a deployment run; run its flow file again with \`tributary run\`.`);
    }
    if (!isFinal(run.state)) throw conflict(`Flow run ${run.name} is ${run.state.name}; only a finished run can be retried.`);
    // A paused deployment's runs wait for its resume: a retry would sit Scheduled (and a command waiting for it, for ever).
    const deployment = await this.store.getDeploymentById(run.deploymentId);
    if (deployment?.paused) {
      throw conflict(`Flow run ${run.name} is a run of deployment "${deployment.name}", which is paused; resume it with \`tributary deployment resume ${deployment.name}\` first.`);
    }
    const state = makeState("Scheduled", this.clock.now(), "Retry requested.");
    // A new execution (its epoch raised): a process still finishing the old one cannot write into it.
    if (!(await this.store.transitionFlowRunIf(run.id, run.state.type, state, { newEpoch: true }))) {
      const now = (await this.store.getFlowRun(run.id)) ?? run;
      throw conflict(`Flow run ${now.name} changed state (it is ${now.state.name} now) as it was being retried; retry it again if it should run.`);
    }
    const scheduled = { ...run, state, epoch: (run.epoch ?? 0) + 1 };
    this.hub.publishFlowRun(scheduled);
    return scheduled;
  }

  /** Resumes a Paused run (pauseFlowRun): it goes Running, and the flow carries on within a second. */
  async resume(id: string): Promise<FlowRunRecord> {
    const run = await this.get(id);
    const state = makeState("Running", this.clock.now(), "Resumed.");
    if (run.state.type !== "PAUSED" || !(await this.store.transitionFlowRunIf(run.id, "PAUSED", state))) {
      const now = (await this.store.getFlowRun(run.id)) ?? run;
      throw conflict(`Flow run ${now.name} is ${now.state.name}, not Paused; only a paused run can be resumed.`);
    }
    return { ...run, state };
  }
}
