/**
 * The Flow Runs view (`tributary.flowRuns`): a TreeDataProvider over {@link FlowRunsModel}, kept
 * live from the orchestration server's event stream. Events are coalesced for 100 ms (a fan-out
 * sends thousands), then each changed element is refreshed alone; a new top-level run refreshes
 * the list. The server connects when the view is first shown; a reconnect reloads everything.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { TributaryApi, TributaryEvent } from "../server/tributary-api.js";
import { FlowRunsModel, type FlowRunElement, type FlowRunsElement, type FlowRunsFilter } from "./flow-runs-model.js";
import { LaunchedRuns } from "./launched-runs.js";
import { needsTick, nextTickDelay } from "./relative-time-ticks.js";
import { flowRunFields, taskRunFields, type RunItemFields } from "./run-item-fields.js";
import { failureStack, firstUserFrame } from "./run-outcome.js";

const COALESCE_MS = 100;

export class FlowRunsView implements vscode.TreeDataProvider<FlowRunsElement>, vscode.Disposable {
  readonly model: FlowRunsModel;
  readonly launched = new LaunchedRuns();
  readonly treeView: vscode.TreeView<FlowRunsElement>;
  private readonly changeEmitter = new vscode.EventEmitter<FlowRunsElement | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private queue: TributaryEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** The next refresh of items whose duration or relative time moves on (relative-time-ticks.ts), and when it is due. */
  private tick: { timer: NodeJS.Timeout; due: number } | undefined;
  /** Runs launched here that appeared on the stream and wait to be revealed. */
  private toReveal: string[] = [];

  constructor(private readonly ctx: Ctx) {
    this.model = new FlowRunsModel(() => ctx.config.historyPageSize);
    this.treeView = vscode.window.createTreeView("tributary.flowRuns", { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.treeView,
      this.changeEmitter,
      ctx.orchestration.onEvent((event) => (deletesRuns(event) ? this.refresh() : this.enqueue(event))),
      ctx.orchestration.onDidResync(() => this.refresh()),
      ctx.orchestration.onDidChangeState((state) => {
        if (state === "connected" && !this.model.isLoaded) this.changeEmitter.fire(undefined);
      }),
      // Hidden, nothing ticks; shown again, what moved on meanwhile is refreshed at once.
      this.treeView.onDidChangeVisibility(({ visible }) => (visible ? this.refreshTicking() : this.stopTicking())),
    );
  }

  getTreeItem(element: FlowRunsElement): vscode.TreeItem {
    if (element.kind === "loadMore") {
      const item = new vscode.TreeItem("Load more…", vscode.TreeItemCollapsibleState.None);
      item.id = "tributary.flowRuns.loadMore";
      item.contextValue = "loadMore";
      item.iconPath = new vscode.ThemeIcon("more");
      item.command = { command: "tributary.flowRuns.loadMore", title: "Load More Flow Runs" };
      return item;
    }
    const now = new Date();
    const fields = element.kind === "flowRun" ? flowRunFields(element.run, now) : taskRunFields(element.task, now);
    // A task run has no children; a flow run may have task runs or subflows (known once expanded).
    const collapsible = element.kind === "flowRun" ? collapsedOrExpanded(element) : vscode.TreeItemCollapsibleState.None;
    const item = toTreeItem(fields, collapsible);
    item.id = element.kind === "flowRun" ? element.run.id : element.task.id;
    // VS Code resolves only what getTreeItem left undefined: a failed run's tooltip waits for its log.
    if (readsFailureFrame(element)) item.tooltip = undefined;
    return item;
  }

  /** A failed run's tooltip, with the first frame of the user's code in its stack, read from its log when the tooltip is wanted. */
  async resolveTreeItem(item: vscode.TreeItem, element: FlowRunsElement): Promise<vscode.TreeItem> {
    if (!readsFailureFrame(element)) return item;
    let frame: string | undefined;
    try {
      const api = this.ctx.orchestration.api;
      const stack = api !== undefined ? failureStack(await api.logs(element.run.id)) : undefined;
      const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
      // The bundled runtime lives in the extension's folder: its frames are tributaryjs's, not the user's.
      frame = stack !== undefined ? firstUserFrame(stack, { cwd, tributaryRoots: [this.ctx.extension.extensionUri.fsPath] }) : undefined;
    } catch (error) {
      this.ctx.log.warn(`Could not read the log of flow run ${element.run.id}: ${(error as Error).message}`);
    }
    item.tooltip = markdown(flowRunFields(element.run, new Date(), frame).tooltip);
    return item;
  }

  async getChildren(element?: FlowRunsElement): Promise<FlowRunsElement[]> {
    if (element?.kind === "loadMore" || element?.kind === "taskRun") return [];
    const api = await this.ctx.orchestration.connect();
    if (!api) return [];
    try {
      if (element !== undefined) return await this.model.children(api, element);
      const roots = await this.model.roots(api);
      this.scheduleTick();
      return roots;
    } catch (error) {
      this.ctx.log.error(`Flow Runs: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(`Tributary could not load flow runs: ${(error as Error).message}`);
      return [];
    }
  }

  getParent(element: FlowRunsElement): FlowRunsElement | undefined {
    return element.kind === "loadMore" ? undefined : element.parent;
  }

  /** Reloads the view from the server. */
  refresh(): void {
    this.model.reset();
    this.changeEmitter.fire(undefined);
  }

  async loadMore(): Promise<void> {
    const api = await this.ctx.orchestration.require();
    await this.model.loadMore(api);
    this.changeEmitter.fire(undefined);
  }

  async setFilter(filter: FlowRunsFilter): Promise<void> {
    this.model.setFilter(filter);
    const parts = [filter.flowName !== undefined ? `flow ${filter.flowName}` : "", filter.state !== undefined ? `state ${filter.state}` : ""].filter(Boolean);
    this.treeView.description = parts.length > 0 ? `filtered: ${parts.join(", ")}` : undefined;
    // Reload first: the context key (which only picks the welcome text) need not delay the page.
    this.changeEmitter.fire(undefined);
    await vscode.commands.executeCommand("setContext", "tributary.flowRuns.filtered", this.model.isFiltered);
  }

  /** Shows and selects the run (loading the first page when the view never loaded). */
  async reveal(runId: string, api?: TributaryApi): Promise<boolean> {
    let element = this.model.find(runId);
    if (!element && api && !this.model.isLoaded) {
      await this.model.roots(api);
      element = this.model.find(runId);
    }
    if (!element) return false;
    await this.treeView.reveal(element, { select: true, focus: false, expand: false });
    return true;
  }

  private enqueue(event: TributaryEvent): void {
    if (!event.event.startsWith("tributary.flow-run.") && !event.event.startsWith("tributary.task-run.")) return;
    const run = (event.payload as { flowRun?: { id?: string } }).flowRun;
    if (run && typeof run.id === "string" && this.launched.claim(run as never)) this.toReveal.push(run.id);
    this.queue.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const batch = this.queue;
    this.queue = [];
    const change = this.model.apply(batch);
    if (change.root) this.changeEmitter.fire(undefined);
    else for (const element of change.elements) this.changeEmitter.fire(element);
    this.scheduleTick();
    const reveal = this.toReveal;
    this.toReveal = [];
    for (const id of reveal) void this.reveal(id, this.ctx.orchestration.api).catch((error: unknown) => this.ctx.log.warn(`Could not reveal run ${id}: ${(error as Error).message}`));
  }

  /** Refreshes the top-level items whose duration or relative time moves on (their children with them), then plans the next tick. */
  private refreshTicking(): void {
    this.stopTicking();
    if (!this.treeView.visible) return;
    const now = new Date();
    for (const element of this.model.topLevelRuns()) if (needsTick(element.run, now)) this.changeEmitter.fire(element);
    this.scheduleTick();
  }

  /** Plans a tick for what the view shows now, unless one is due as soon; none while the view is hidden. */
  private scheduleTick(): void {
    if (!this.treeView.visible) return;
    const delay = nextTickDelay(this.model.topLevelRuns().map((element) => element.run), new Date());
    if (delay === undefined) return;
    const due = Date.now() + delay;
    if (this.tick !== undefined && this.tick.due <= due) return;
    this.stopTicking();
    this.tick = { timer: setTimeout(() => this.refreshTicking(), delay), due };
  }

  private stopTicking(): void {
    if (this.tick !== undefined) clearTimeout(this.tick.timer);
    this.tick = undefined;
  }

  dispose(): void {
    this.stopTicking();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** A failed or crashed flow run: its tooltip shows the first user frame of its stack, from its log. */
function readsFailureFrame(element: FlowRunsElement): element is FlowRunElement {
  return element.kind === "flowRun" && (element.run.state.type === "FAILED" || element.run.state.type === "CRASHED");
}

/** No expand arrow on a run known to have no task runs or subflow runs. */
function collapsedOrExpanded(element: FlowRunElement): vscode.TreeItemCollapsibleState {
  const none = element.children !== undefined ? element.children.length === 0 : element.hasChildren === false;
  return none ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed;
}

function toTreeItem(fields: RunItemFields, collapsible: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(fields.label, collapsible);
  item.description = fields.description;
  item.iconPath = new vscode.ThemeIcon(fields.icon.id, fields.icon.color !== undefined ? new vscode.ThemeColor(fields.icon.color) : undefined);
  item.contextValue = fields.contextValue;
  item.tooltip = markdown(fields.tooltip);
  return item;
}

function markdown(text: string): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(text);
  tooltip.supportThemeIcons = false;
  return tooltip;
}

/** Pausing a deployment deletes its scheduled runs: the event lists them, the list reloads. */
function deletesRuns(event: TributaryEvent): boolean {
  const ids = (event.payload as { deletedFlowRunIds?: unknown }).deletedFlowRunIds;
  return event.event === "tributary.deployment.paused" && Array.isArray(ids) && ids.length > 0;
}
