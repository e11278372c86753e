/**
 * The Automations view's data: one item per registered automation, with what it links and when
 * the stream last said it fired. Connects when first shown; live from the event stream.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { AutomationRecord, TributaryApi, TributaryEvent } from "../server/tributary-api.js";
import { automationItem } from "./automation-item.js";
import { liveTreeSubscriptions, themeIcon } from "./tree-support.js";

export interface AutomationNode {
  kind: "automation";
  automation: AutomationRecord;
  /** ISO 8601, from the live stream. */
  lastTriggered: string | undefined;
}

export class AutomationsTree implements vscode.TreeDataProvider<AutomationNode>, vscode.Disposable {
  private readonly nodes = new Map<string, AutomationNode>();
  private loading: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<AutomationNode | undefined>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [this.changed, ...liveTreeSubscriptions(ctx, { onEvent: (event) => this.onEvent(event), reload: () => this.reload(), clear: () => this.clear() })];
  }

  async getChildren(element?: AutomationNode): Promise<AutomationNode[]> {
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

  getTreeItem(node: AutomationNode): vscode.TreeItem {
    const fields = automationItem(node.automation, node.lastTriggered);
    const item = new vscode.TreeItem(fields.label, vscode.TreeItemCollapsibleState.None);
    item.id = fields.id;
    item.description = fields.description;
    item.iconPath = themeIcon(fields.icon);
    item.contextValue = fields.contextValue;
    item.tooltip = new vscode.MarkdownString(fields.tooltip);
    return item;
  }

  async find(name: string): Promise<AutomationNode | undefined> {
    await this.getChildren();
    return this.nodes.get(name);
  }

  reload(): void {
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  /** Shows `automation` as the server answered it (after pause or resume). */
  update(automation: AutomationRecord): void {
    const node = this.nodes.get(automation.name);
    if (!node) return this.reload();
    node.automation = automation;
    this.changed.fire(node);
  }

  private clear(): void {
    this.nodes.clear();
    this.reload();
  }

  private async load(api: TributaryApi): Promise<void> {
    try {
      const automations = await api.listAutomations();
      const seen = new Set(automations.map((a) => a.name));
      for (const automation of automations) {
        const node = this.nodes.get(automation.name);
        if (node) node.automation = automation;
        else this.nodes.set(automation.name, { kind: "automation", automation, lastTriggered: undefined });
      }
      for (const name of [...this.nodes.keys()]) if (!seen.has(name)) this.nodes.delete(name);
    } catch (error) {
      this.loading = undefined;
      this.ctx.log.error(`Automations could not be loaded: ${(error as Error).message}`);
    }
  }

  private onEvent(event: TributaryEvent): void {
    if (event.event !== "tributary.automation.triggered") return;
    const node = event.resource.name !== undefined ? this.nodes.get(event.resource.name) : undefined;
    if (!node) return;
    node.lastTriggered = event.occurred;
    this.changed.fire(node);
  }

  dispose(): void {
    for (const disposable of this.subscriptions) disposable.dispose();
  }
}
