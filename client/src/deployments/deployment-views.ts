/**
 * The Deployments and Automations views, and the sync on save: created with the extension's
 * context, disposed with the extension.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { AutomationsTree, type AutomationNode } from "./automations-tree.js";
import { DeploymentsTree, type DeploymentNode } from "./deployments-tree.js";
import { syncOnSave } from "./register-deployments.js";

export class DeploymentViews implements vscode.Disposable {
  readonly deployments: DeploymentsTree;
  readonly automations: AutomationsTree;
  readonly deploymentsView: vscode.TreeView<DeploymentNode>;
  readonly automationsView: vscode.TreeView<AutomationNode>;
  private readonly disposables: vscode.Disposable[];

  constructor(ctx: Ctx) {
    this.deployments = new DeploymentsTree(ctx);
    this.automations = new AutomationsTree(ctx);
    this.deploymentsView = vscode.window.createTreeView("tributary.deployments", { treeDataProvider: this.deployments, showCollapseAll: false });
    this.automationsView = vscode.window.createTreeView("tributary.automations", { treeDataProvider: this.automations, showCollapseAll: false });
    this.disposables = [this.deploymentsView, this.automationsView, this.deployments, this.automations, syncOnSave(ctx)];
  }

  /** Both views load again (after registering). */
  refresh(): void {
    this.deployments.reload();
    this.automations.reload();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
