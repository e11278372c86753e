/**
 * Flow Runs, the run logs and results, the notices of runs' ends and the status bar item: what this part of the extension registers, kept
 * for as long as the extension (not the language server) lives.
 */
import type * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { FlowRunsView } from "./flow-runs-view.js";
import { RunEndNotifier } from "./run-end-notifier.js";
import { RunLogDocuments } from "./run-log-documents.js";
import { RunResultDocuments } from "./run-result-documents.js";
import { ServerStatusItem } from "./server-status-item.js";

export class FlowRunsPart implements vscode.Disposable {
  readonly view: FlowRunsView;
  readonly logs: RunLogDocuments;
  readonly results: RunResultDocuments;
  /** Says how deployment runs started here and automations' runs ended. */
  readonly endings: RunEndNotifier;
  private readonly status: ServerStatusItem;

  constructor(ctx: Ctx) {
    this.view = new FlowRunsView(ctx);
    this.logs = new RunLogDocuments(ctx);
    this.results = new RunResultDocuments(ctx);
    this.endings = new RunEndNotifier(ctx);
    this.status = new ServerStatusItem(ctx);
  }

  dispose(): void {
    this.status.dispose();
    this.endings.dispose();
    this.results.dispose();
    this.logs.dispose();
    this.view.dispose();
  }
}
