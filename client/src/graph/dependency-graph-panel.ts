/**
 * "Tributary: Show Dependency Graph": one webview panel, reused, drawing the language server's
 * `tributary/graphDetails`. Refreshed (debounced) when diagnostics change or a flow document is
 * edited, since an edit can change the graph without changing any diagnostic.
 *
 * `retainContextWhenHidden` is off: the webview keeps its filter, folding, focus and zoom with
 * `setState` and asks for the graph again ("ready") when it is shown, which costs one request
 * instead of a hidden page's memory.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { GraphDetailsJson } from "../../../server/src/analysis/graph-details.js";
import { GraphDetailsRequest } from "../../../server/src/protocol.js";
import type { Ctx } from "../ctx.js";
import { isFlowDocument } from "../flow-code-watch.js";
import type { DependencyGraphMessage, DependencyGraphRequest } from "./graph-messages.js";
import { openGraphPanel } from "./webview-html.js";

const REFRESH_DELAY_MS = 400;

export class DependencyGraphPanel implements vscode.Disposable {
  static readonly viewType = "tributary.dependencyGraph";
  private panel: vscode.WebviewPanel | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private focus: string | undefined;
  private root: string | undefined;

  constructor(private readonly ctx: Ctx) {}

  /** Opens (or brings forward) the panel; `focus` is a node id such as `flow:<name>`. */
  async show(focus?: string): Promise<void> {
    if (focus !== undefined && !/^(flow|task|deployment|automation):./.test(focus)) {
      throw new Error(`Expected a node id such as "flow:<name>" to focus on, got "${focus}".`);
    }
    this.focus = focus;
    if (this.panel) {
      this.panel.reveal(undefined, false);
      if (focus !== undefined) await this.post({ type: "focus", id: focus });
      return;
    }
    const panel = openGraphPanel(this.ctx.extension.extensionUri, {
      viewType: DependencyGraphPanel.viewType,
      title: "Tributary: Dependency Graph",
      column: vscode.ViewColumn.Beside,
      script: "dependency-graph.js",
      documentTitle: "Tributary: Dependency Graph",
      body: BODY,
    });
    this.panel = panel;
    this.subscriptions.push(
      panel.onDidDispose(() => this.closed()),
      panel.webview.onDidReceiveMessage((message: DependencyGraphRequest) => void this.onMessage(message)),
      vscode.languages.onDidChangeDiagnostics(() => this.scheduleRefresh()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && isFlowDocument(event.document)) this.scheduleRefresh();
      }),
    );
  }

  private async onMessage(message: DependencyGraphRequest): Promise<void> {
    try {
      if (message.type === "ready") {
        await this.refresh();
        if (this.focus !== undefined) await this.post({ type: "focus", id: this.focus });
      } else if (message.type === "reveal") {
        await this.reveal(message.file, message.line);
      } else if (message.type === "exportSvg") {
        await this.exportSvg(message.svg);
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.ctx.log.error(`Dependency graph: ${text}`);
      void vscode.window.showErrorMessage(`Tributary's dependency graph: ${text}`);
    }
  }

  private scheduleRefresh(): void {
    if (!this.panel) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh().catch((error: unknown) => this.ctx.log.error(`Dependency graph refresh: ${String(error)}`)), REFRESH_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    await this.ctx.startServer();
    const client = this.ctx.languageClient;
    if (!client) {
      await this.post({ type: "error", message: "The language server is not running: see the Tributary log." });
      return;
    }
    const active = vscode.window.activeTextEditor?.document;
    const params = active && isFlowDocument(active) ? { uri: client.code2ProtocolConverter.asUri(active.uri) } : {};
    const graph: GraphDetailsJson = await client.sendRequest(GraphDetailsRequest.type, params);
    this.root = graph.root;
    await this.post({ type: "graph", graph });
  }

  private async reveal(file: string, line: number): Promise<void> {
    if (this.root === undefined || !Number.isInteger(line) || line < 1) throw new Error(`Cannot reveal "${file}:${line}": no such place in the graph.`);
    const uri = vscode.Uri.file(path.resolve(this.root, file));
    this.ctx.log.info(`Dependency graph: revealing ${uri.fsPath}:${line}`);
    const position = new vscode.Position(line - 1, 0);
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.lineAt(Math.min(line - 1, document.lineCount - 1));
    const at = new vscode.Position(position.line, text.firstNonWhitespaceCharacterIndex);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, at) });
  }

  private async exportSvg(svg: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: "Export the dependency graph as SVG",
      filters: { "SVG image": ["svg"] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, "tributary-graph.svg") } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`));
    void vscode.window.showInformationMessage(`Saved the dependency graph to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async post(message: DependencyGraphMessage): Promise<void> {
    await this.panel?.webview.postMessage(message);
  }

  private closed(): void {
    this.panel = undefined;
    clearTimeout(this.refreshTimer);
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
  }
}

const BODY = `<header class="toolbar">
  <input id="filter" type="search" placeholder="Filter by name" aria-label="Filter by name">
  <button id="fit" title="Fit the graph to the window">Fit</button>
  <button id="expand" title="Draw the tasks of every flow">Expand tasks</button>
  <button id="collapse" title="Fold tasks into their flows">Collapse tasks</button>
  <button id="folders" title="Draw every folder as one node again" hidden>Fold folders</button>
  <button id="export" title="Save the graph as an SVG file">Export SVG…</button>
  <span id="summary">Loading the graph…</span>
</header>
<main>
  <div id="canvas" tabindex="-1"></div>
  <aside>
    <h2>Cycles</h2>
    <ul id="cycles"></ul>
    <h2>Edges</h2>
    <ul id="edge-legend" class="legend"></ul>
  </aside>
</main>`;
