/**
 * What the Deployments and Automations views share: a flat list of records held by name (nodes are
 * kept across reloads, so that `reveal` finds them), loaded once the view is first shown, following
 * the orchestration server (events, reconnects, state changes), and drawing pure item fields.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { TributaryApi, TributaryEvent } from "../server/tributary-api.js";
import type { IconSpec } from "./deployment-item.js";

/** What a record's tree item shows, from the pure `*-item.ts` mappings. */
export interface ItemFields {
  id: string;
  label: string;
  description: string;
  icon: IconSpec;
  contextValue: string;
  tooltip: string;
}

export abstract class NamedRecordsTree<N> implements vscode.TreeDataProvider<N>, vscode.Disposable {
  /** By record name. */
  protected readonly nodes = new Map<string, N>();
  private loading: Promise<void> | undefined;
  protected readonly changed = new vscode.EventEmitter<N | undefined>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    protected readonly ctx: Ctx,
    /** For messages: "Deployments", "Automations". */
    private readonly what: string,
  ) {
    const orchestration = ctx.orchestration;
    this.subscriptions = [
      this.changed,
      orchestration.onEvent((event) => this.onEvent(event)),
      orchestration.onDidResync(() => this.reload()),
      orchestration.onDidChangeState((state) => {
        if (state === "connected") this.reload();
        else if (state !== "connecting") this.clear();
      }),
    ];
  }

  /** The records as the server has them now, each with the node it had (or undefined); the nodes to keep, by name. */
  protected abstract fetch(api: TributaryApi, existing: ReadonlyMap<string, N>): Promise<Map<string, N>>;
  protected abstract fields(node: N): ItemFields;
  protected abstract onEvent(event: TributaryEvent): void;

  async getChildren(element?: N): Promise<N[]> {
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

  getTreeItem(node: N): vscode.TreeItem {
    const fields = this.fields(node);
    const item = new vscode.TreeItem(fields.label, vscode.TreeItemCollapsibleState.None);
    item.id = fields.id;
    item.description = fields.description;
    item.iconPath = themeIcon(fields.icon);
    item.contextValue = fields.contextValue;
    item.tooltip = new vscode.MarkdownString(fields.tooltip);
    return item;
  }

  /** The record's node, loading the list first when needed; undefined when not registered. */
  async find(name: string): Promise<N | undefined> {
    await this.getChildren();
    return this.nodes.get(name);
  }

  /** Forgets what was loaded; the view asks again. */
  reload(): void {
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  /** Whether a load is done or under way (a node unknown then is a record registered since). */
  protected get loaded(): boolean {
    return this.loading !== undefined;
  }

  private clear(): void {
    this.nodes.clear();
    this.reload();
  }

  private async load(api: TributaryApi): Promise<void> {
    try {
      const fresh = await this.fetch(api, this.nodes);
      this.nodes.clear();
      for (const [name, node] of fresh) this.nodes.set(name, node);
    } catch (error) {
      this.loading = undefined;
      this.ctx.log.error(`${this.what} could not be loaded: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    for (const disposable of this.subscriptions) disposable.dispose();
  }
}

export function themeIcon(icon: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color !== undefined ? new vscode.ThemeColor(icon.color) : undefined);
}
