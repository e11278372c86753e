/**
 * "Show Run Graph": one webview panel, reused, drawing one flow run's task runs and subflow runs
 * (run-graph-model.ts), reloaded (debounced) on every stream event of that run and after a
 * reconnect; a click on a node shows its state history and logs in the panel's side bar, read
 * again on each reload (a subflow's lines come while it runs).
 * `retainContextWhenHidden` is off for the reason given in dependency-graph-panel.ts.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { TributaryApi } from "../server/tributary-api.js";
import type { RunGraphMessage, RunGraphRequest, RunNodeDetails } from "./graph-messages.js";
import { eventTouchesRun, type RunGraphData } from "./run-graph-model.js";
import { openGraphPanel } from "./webview-html.js";

const RELOAD_DELAY_MS = 250;

export class RunGraphPanel implements vscode.Disposable {
  static readonly viewType = "tributary.runGraph";
  private panel: vscode.WebviewPanel | undefined;
  private runId: string | undefined;
  /** The node whose details the side bar shows: they are read again with the graph, so that they follow the run. */
  private selected: { kind: "task" | "flow"; id: string } | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Ctx) {}

  async show(runId: string): Promise<void> {
    const api = await this.ctx.orchestration.require();
    const run = await api.getFlowRun(runId);
    if (run.id !== this.runId) this.selected = undefined;
    this.runId = run.id;
    if (this.panel) {
      this.panel.title = `Run Graph: ${run.flowName} (${run.name})`;
      this.panel.reveal(undefined, false);
      await this.reload();
      return;
    }
    const panel = openGraphPanel(this.ctx.extension.extensionUri, {
      viewType: RunGraphPanel.viewType,
      title: `Run Graph: ${run.flowName} (${run.name})`,
      column: vscode.ViewColumn.Active,
      script: "run-graph.js",
      documentTitle: "Tributary: Run Graph",
      body: BODY,
    });
    this.panel = panel;
    this.subscriptions.push(
      panel.onDidDispose(() => this.closed()),
      panel.webview.onDidReceiveMessage((message: RunGraphRequest) => void this.onMessage(message)),
      this.ctx.orchestration.onEvent((event) => {
        if (this.runId !== undefined && eventTouchesRun(event, this.runId)) this.scheduleReload();
      }),
      this.ctx.orchestration.onDidResync(() => this.scheduleReload()),
    );
  }

  private async onMessage(message: RunGraphRequest): Promise<void> {
    try {
      if (message.type === "ready") await this.reload();
      else if (message.type === "select") {
        this.selected = message.node;
        await this.post({ type: "details", details: await this.details(message.node) });
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.ctx.log.error(`Run graph: ${text}`);
      await this.post({ type: "error", message: text });
    }
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload().catch((error: unknown) => this.ctx.log.error(`Run graph reload: ${String(error)}`)), RELOAD_DELAY_MS);
  }

  private async reload(): Promise<void> {
    if (this.runId === undefined || !this.panel) return;
    const api = await this.ctx.orchestration.require();
    await this.post({ type: "run", data: await loadRunGraph(api, this.runId) });
    if (this.selected !== undefined) await this.post({ type: "details", details: await this.details(this.selected) });
  }

  private async details(node: { kind: "task" | "flow"; id: string }): Promise<RunNodeDetails> {
    const api = await this.ctx.orchestration.require();
    if (node.kind === "flow") {
      const [run, states, logs] = await Promise.all([api.getFlowRun(node.id), api.flowRunStates(node.id), api.logs(node.id)]);
      return { id: node.id, title: `Subflow run ${run.flowName} (${run.name})`, states, logs };
    }
    if (this.runId === undefined) throw new Error("No run is shown.");
    const [taskRuns, states, logs] = await Promise.all([api.taskRuns(this.runId), api.taskRunStates(node.id), api.logs(this.runId)]);
    const taskRun = taskRuns.find((t) => t.id === node.id);
    return { id: node.id, title: `Task run ${taskRun?.name ?? node.id}`, states, logs: logs.filter((l) => l.taskRunId === node.id) };
  }

  private async post(message: RunGraphMessage): Promise<void> {
    await this.panel?.webview.postMessage(message);
  }

  private closed(): void {
    this.panel = undefined;
    this.runId = undefined;
    this.selected = undefined;
    clearTimeout(this.reloadTimer);
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
  }
}

export async function loadRunGraph(api: TributaryApi, runId: string): Promise<RunGraphData> {
  const [run, taskRuns, subflowRuns] = await Promise.all([api.getFlowRun(runId), api.taskRuns(runId), api.listFlowRuns({ parentFlowRunId: runId, limit: 500 })]);
  return { run, taskRuns, subflowRuns };
}

const BODY = `<header class="toolbar">
  <button id="fit" title="Fit the graph to the window">Fit</button>
  <span id="title">Loading the run…</span>
</header>
<main>
  <div id="canvas" tabindex="-1"></div>
  <aside id="details"><p>Click a task run or subflow run for its state history and logs.</p></aside>
</main>`;
