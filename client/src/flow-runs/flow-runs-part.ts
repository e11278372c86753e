/**
 * Flow Runs, the run logs and the status bar item: what this part of the extension registers, kept
 * for as long as the extension (not the language server) lives.
 */
import type * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { FlowRunsView } from "./flow-runs-view.js";
import { RunLogDocuments } from "./run-log-documents.js";
import { ServerStatusItem } from "./server-status-item.js";

export class FlowRunsPart implements vscode.Disposable {
  readonly view: FlowRunsView;
  readonly logs: RunLogDocuments;
  private readonly status: ServerStatusItem;

  constructor(ctx: Ctx) {
    this.view = new FlowRunsView(ctx);
    this.logs = new RunLogDocuments(ctx);
    this.status = new ServerStatusItem(ctx);
  }

  dispose(): void {
    this.status.dispose();
    this.logs.dispose();
    this.view.dispose();
  }
}
