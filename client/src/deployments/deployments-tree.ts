/**
 * The Deployments view's data: one item per registered deployment, its icon from its newest run.
 * Connects to the orchestration server when first shown; stays live from the event stream (a run
 * of a deployment changes its icon, a pause or resume reloads) and reloads after a reconnect.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { DeploymentRecord, FlowRunRecord, TributaryApi, TributaryEvent } from "../server/tributary-api.js";
import { deploymentItem, lastRunOf, replacesLastRun } from "./deployment-item.js";
import { liveTreeSubscriptions, themeIcon } from "./tree-support.js";

/** Runs asked for per deployment: enough to see past the runs the scheduler made ahead (3 per schedule). */
const LAST_RUN_WINDOW = 10;

/** A tree element; commands of the view's context menu receive it. */
export interface DeploymentNode {
  kind: "deployment";
  deployment: DeploymentRecord;
  lastRun: FlowRunRecord | undefined;
}

export class DeploymentsTree implements vscode.TreeDataProvider<DeploymentNode>, vscode.Disposable {
  /** By deployment name; nodes are kept across reloads, so that `reveal` finds them. */
  private readonly nodes = new Map<string, DeploymentNode>();
  private loading: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<DeploymentNode | undefined>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [this.changed, ...liveTreeSubscriptions(ctx, { onEvent: (event) => this.onEvent(event), reload: () => this.reload(), clear: () => this.clear() })];
  }

  async getChildren(element?: DeploymentNode): Promise<DeploymentNode[]> {
    if (element) return [];
    const api = await this.ctx.orchestration.connect();
    if (!api) return [];
    this.loading ??= this.load(api);
    await this.loading;
    return [...this.nodes.values()];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: DeploymentNode): vscode.TreeItem {
    const fields = deploymentItem(node.deployment, node.lastRun, new Date());
    const item = new vscode.TreeItem(fields.label, vscode.TreeItemCollapsibleState.None);
    item.id = fields.id;
    item.description = fields.description;
    item.iconPath = themeIcon(fields.icon);
    item.contextValue = fields.contextValue;
    item.tooltip = new vscode.MarkdownString(fields.tooltip);
    return item;
  }

  /** The deployment's node, loading the list first when needed; undefined when not registered. */
  async find(name: string): Promise<DeploymentNode | undefined> {
    await this.getChildren();
    return this.nodes.get(name);
  }

  /** Forgets what was loaded; the view asks again. */
  reload(): void {
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  private clear(): void {
    this.nodes.clear();
    this.reload();
  }

  private async load(api: TributaryApi): Promise<void> {
    try {
      const deployments = await api.listDeployments();
      const lastRuns = await Promise.all(deployments.map((d) => api.listFlowRuns({ deploymentName: d.name, limit: LAST_RUN_WINDOW, sort: "created-desc" }).then(lastRunOf)));
      const seen = new Set<string>();
      deployments.forEach((deployment, i) => {
        seen.add(deployment.name);
        const node = this.nodes.get(deployment.name);
        if (node) Object.assign(node, { deployment, lastRun: lastRuns[i] });
        else this.nodes.set(deployment.name, { kind: "deployment", deployment, lastRun: lastRuns[i] });
      });
      for (const name of [...this.nodes.keys()]) if (!seen.has(name)) this.nodes.delete(name);
    } catch (error) {
      this.loading = undefined;
      this.ctx.log.error(`Deployments could not be loaded: ${(error as Error).message}`);
    }
  }

  private onEvent(event: TributaryEvent): void {
    if (event.event === "tributary.deployment.paused" || event.event === "tributary.deployment.resumed") {
      this.reload();
      return;
    }
    if (!event.event.startsWith("tributary.flow-run.")) return;
    const run = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
    if (run?.deploymentId === undefined) return;
    const node = this.nodeOf(event.resource.deploymentName, run.deploymentId);
    if (!node) {
      // A deployment registered since the list was loaded.
      if (this.loading) this.reload();
      return;
    }
    if (!replacesLastRun(node.lastRun, run)) return;
    node.lastRun = run;
    this.changed.fire(node);
  }

  private nodeOf(name: string | undefined, id: string): DeploymentNode | undefined {
    if (name !== undefined && this.nodes.has(name)) return this.nodes.get(name);
    return [...this.nodes.values()].find((node) => node.deployment.id === id);
  }

  dispose(): void {
    for (const disposable of this.subscriptions) disposable.dispose();
  }
}
