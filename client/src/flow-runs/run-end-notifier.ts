/**
 * Says how a run ended, in the words ▶ Run flow uses (flow-run-summary.ts), for the runs the
 * stream shows end that the user started here through the server (Run Deployment) or that an
 * automation started (run-end-notices.ts decides which). The counts of task runs and subflow runs
 * are read from the server when the run ends, as the CLI's record has them for a ▶ run.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { summarizeFlowRun } from "../run/flow-run-summary.js";
import type { FlowRunRecord, TributaryEvent } from "../server/tributary-api.js";
import { RunEndNotices } from "./run-end-notices.js";

const SHOW_RUN_LOG = "Show Run Log";
const SHOW_IN_FLOW_RUNS = "Show in Flow Runs";
const AUTOMATION_RUNS_SETTING = "tributary.notifications.automationRuns";

export class RunEndNotifier implements vscode.Disposable {
  private readonly notices = new RunEndNotices();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      ctx.orchestration.onEvent((event) => this.onEvent(event)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(AUTOMATION_RUNS_SETTING)) return;
        ctx.log.info(`Notifications of the runs automations start are ${ctx.config.automationRunNotifications ? "on" : "off"} (${AUTOMATION_RUNS_SETTING}).`);
      }),
    ];
  }

  /** A deployment run the user started: its end is told. */
  watch(run: Pick<FlowRunRecord, "id">, deploymentName: string): void {
    this.notices.watch(run.id, deploymentName);
  }

  private onEvent(event: TributaryEvent): void {
    if (!event.event.startsWith("tributary.flow-run.")) return;
    const run = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
    if (typeof run?.id !== "string" || typeof run.state?.type !== "string") return;
    const notice = this.notices.noticeFor(run, this.ctx.config.automationRunNotifications);
    if (notice !== undefined) void this.tell(run, notice.cause, notice.shown);
  }

  private async tell(run: FlowRunRecord, cause: string, shown: boolean): Promise<void> {
    let children = { taskRuns: [] as unknown[], subflowRuns: [] as unknown[] };
    const api = this.ctx.orchestration.api;
    try {
      if (api) {
        const [taskRuns, subflowRuns] = await Promise.all([api.taskRuns(run.id), api.listFlowRuns({ parentFlowRunId: run.id, limit: 1000 })]);
        children = { taskRuns, subflowRuns };
      }
    } catch (error) {
      this.ctx.log.warn(`Could not count the task runs of flow run ${run.name}: ${(error as Error).message}`);
    }
    const summary = summarizeFlowRun({ ...run, ...children }, cause);
    if (!shown) return void this.ctx.log.info(`${summary} (No notification: ${AUTOMATION_RUNS_SETTING} is off.)`);
    this.ctx.log.info(summary);
    const show = run.state.type === "COMPLETED" ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    const choice = await show(summary, SHOW_RUN_LOG, SHOW_IN_FLOW_RUNS);
    if (choice === SHOW_RUN_LOG) await this.ctx.flowRuns.logs.open(run);
    else if (choice === SHOW_IN_FLOW_RUNS) {
      await vscode.commands.executeCommand("tributary.flowRuns.focus");
      await this.ctx.flowRuns.view.reveal(run.id, this.ctx.orchestration.api);
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}
