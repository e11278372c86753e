/**
 * The status bar item: the orchestration server's state and how many top-level flow runs are
 * running, kept from the event stream (read once when connected, and after every reconnect).
 * The tooltip also names the tributaryjs that runs flows and the local server (the workspace's or
 * the bundled one, with its version) and, once something ran, the runtime it runs on. A click
 * opens Flow Runs.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { ServerState } from "../server/orchestration.js";
import type { FlowRunRecord, TributaryEvent } from "../server/tributary-api.js";
import { RunningRuns, statusText } from "./running-runs.js";

export class ServerStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("tributary.server", vscode.StatusBarAlignment.Left, 10);
  private readonly running = new RunningRuns();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Ctx) {
    this.item.name = "Tributary Server";
    this.item.command = "tributary.openFlowRuns";
    this.disposables.push(
      this.item,
      ctx.orchestration.onDidChangeState((state) => {
        if (state === "connected") void this.reload();
        this.render();
      }),
      ctx.orchestration.onDidResync(() => void this.reload()),
      ctx.orchestration.onEvent((event) => this.onEvent(event)),
      ctx.runtimes.onDidChange(() => this.render()),
      ctx.flowRuntimes.onDidChange(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  private onEvent(event: TributaryEvent): void {
    if (!event.event.startsWith("tributary.flow-run.")) return;
    const run = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
    if (run && this.running.apply(run)) this.renderSoon();
  }

  private async reload(): Promise<void> {
    const api = this.ctx.orchestration.api;
    if (!api) return;
    try {
      this.running.reset(await api.listFlowRuns({ state: "RUNNING", parentFlowRunId: null, limit: 1000 }));
    } catch (error) {
      this.ctx.log.warn(`Status bar: could not count running flow runs: ${(error as Error).message}`);
    }
    this.render();
  }

  private renderSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, 100);
  }

  private render(): void {
    const state: ServerState = this.ctx.orchestration.state;
    const url = this.ctx.orchestration.api?.url ?? (this.ctx.config.serverUrl || "a local server for this workspace (started on first use)");
    const { text, tooltip } = statusText(state, this.running.count, url);
    this.item.text = text;
    const copy = this.ctx.runtimes.forFirstFolder();
    const runtime = this.ctx.flowRuntimes.lastChosen;
    const on = runtime ? ` on ${runtime.label}` : "";
    this.item.tooltip = copy ? `${tooltip}\n\nFlows and the local server use ${copy.label}${copy.note ? ` (${copy.note})` : ""}${on}.` : tooltip;
    this.item.backgroundColor = state === "unreachable" ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
