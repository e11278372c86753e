/**
 * A run that a server executes (`deployment run --watch`, a run of a deployment or a retry without
 * a server running), shown as `tributary run` shows its own: the same live progress, fed from the
 * server's event stream (the run, its subflow and task runs, their log lines, and the runs it
 * causes: follow-runs.ts), then the same summary and the runs it caused.
 *
 * Open the watch before the request that creates or retries the run, so that no event of it is
 * missed; what arrives before the run is known waits until `follow` is given it.
 */
import { isFinal } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import { runEventOf } from "../../orchestrator/live-events.js";
import type { CausalLink, TributaryEvent } from "../../orchestrator/contract.js";
import type { RunEvent } from "../../engine/run-events.js";
import { uniqueIdPrefix } from "../../store/unique-id-prefix.js";
import { logMessageFormatter, type CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { formatDateTime, formatDuration } from "../render/format-time.js";
import { LiveRunTree } from "../render/live-run-tree.js";
import { createProgress, type RunProgress } from "../render/progress.js";
import { formatCausedRuns, formatRunSummary } from "../render/run-summary.js";
import type { ServerConnection } from "../server-connection.js";
import { RunFollower } from "./follow-runs.js";

export interface WatchOptions {
  /** Print only the finished run's record as JSON (progress notes go to stderr). */
  json: boolean;
  /** Against a separate server: how long to wait for triggered runs once every followed run has finished. */
  graceMs: number;
}

export class ServerRunWatch {
  private readonly follower: RunFollower;
  private readonly early: TributaryEvent[] = [];
  private shown: { progress: RunProgress; tree: LiveRunTree } | undefined;
  private stream: { close(): void } | undefined;

  private constructor(
    private readonly ctx: CliContext,
    private readonly server: ServerConnection,
    private readonly options: WatchOptions,
  ) {
    this.follower = new RunFollower(new Set(), (message) => this.shown?.progress.note(message));
  }

  /** Subscribes to the server's events; close it when done. */
  static async open(ctx: CliContext, server: ServerConnection, options: WatchOptions): Promise<ServerRunWatch> {
    const watch = new ServerRunWatch(ctx, server, options);
    watch.stream = await server.stream((event) => watch.onEvent(event), { broadcasts: true });
    return watch;
  }

  close(): void {
    this.stream?.close();
  }

  /**
   * Shows `run` (as the server answered the request that made or retried it) and every run it
   * leads to until all have finished; prints the summary (or, with `json`, the run's final
   * record) and returns the exit code: 0 when the run completed, else 1.
   */
  async follow(run: FlowRunRecord): Promise<number> {
    const { ctx } = this;
    const progress = createProgress(ctx, run.id, this.options.json, logMessageFormatter(ctx, false));
    this.shown = { progress, tree: new LiveRunTree(run.id) };
    this.follower.follow(run);
    this.show({ kind: "flow-run", run });
    const startsIn = Date.parse(run.expectedStartTime ?? run.createdAt) - ctx.now().getTime();
    if (run.state.type === "SCHEDULED" && startsIn > 1_000) {
      progress.note(`Flow run ${run.name} is scheduled to start at ${formatDateTime(run.expectedStartTime!)} (in ${formatDuration(startsIn)}); waiting for it.`);
    }
    for (const event of this.early.splice(0)) this.onEvent(event);
    try {
      await this.settle();
    } finally {
      progress.stop();
    }
    const final = this.follower.runs.get(run.id)!;
    if (this.options.json) ctx.stdout.write(`${JSON.stringify(final, null, 2)}\n`);
    else await this.printSummary(final);
    return isFinal(final.state) && final.state.type === "COMPLETED" ? ExitCode.ok : ExitCode.runFailed;
  }

  private onEvent(event: TributaryEvent): void {
    if (this.shown === undefined) return void this.early.push(event);
    this.follower.onEvent(event);
    const runEvent = runEventOf(event);
    if (runEvent === undefined) return;
    const flowRunId = runEvent.kind === "flow-run" ? runEvent.run.id : runEvent.kind === "task-run" ? runEvent.run.flowRunId : runEvent.log.flowRunId;
    if (this.follower.runs.has(flowRunId)) this.show(runEvent);
  }

  private show(event: RunEvent): void {
    this.shown!.tree.apply(event);
    this.shown!.progress.onEvent(event);
  }

  private async settle(): Promise<void> {
    const embedded = this.server.embedded;
    if (!embedded) return this.follower.settle(this.options.graceMs);
    // In process, the server itself says when its worker and automations are done.
    for (;;) {
      await this.follower.whenAllFinal();
      await embedded.server.idle();
      if (this.follower.allFinal()) return;
    }
  }

  private async printSummary(run: FlowRunRecord): Promise<void> {
    const { ctx } = this;
    const tree = this.shown!.tree;
    const options = { now: ctx.now(), color: ctx.stdout.isTTY === true };
    // `flow-run logs` reads the workspace's store: a prefix is only known unique there.
    const idPrefix = this.server.embedded ? await uniqueIdPrefix(this.server.embedded.store, run.id) : run.id;
    const lines = formatRunSummary(tree.tree(run.id)!, idPrefix, options);
    const caused = [...this.follower.runs.values()].filter(
      (other) => other.id !== run.id && (other.parentFlowRunId === undefined || !this.follower.runs.has(other.parentFlowRunId)),
    );
    // Each chain from the watched run on, as `tributary run` shows the chains of the runs its run caused.
    const fromRun = (chain: readonly CausalLink[]) => chain.slice(Math.max(0, chain.findIndex((link) => link.kind === "flow-run" && link.id === run.id)));
    if (caused.length > 0) lines.push(...formatCausedRuns(caused.map((other) => ({ tree: tree.tree(other.id)!, chain: fromRun(other.chain ?? []) })), options));
    ctx.stdout.write(`${lines.join("\n")}\n`);
  }
}
