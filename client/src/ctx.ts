/**
 * The extension's context: owns every lifetime. What lives as long as the extension (commands,
 * the log, configuration listeners) goes to `context.subscriptions`; what lives as long as one
 * language-server process goes to `serverSubscriptions`, disposed on every restart.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { registerCommands } from "./commands.js";
import { Config } from "./config.js";
import { createLanguageClient } from "./language-client.js";
import { FlowCodeWatch } from "./flow-code-watch.js";
import { Orchestration } from "./server/orchestration.js";
import { RuntimeCopies } from "./run/runtime-copies.js";
import { FlowRuntimes } from "./run/flow-runtimes.js";
import { FlowRunsPart } from "./flow-runs/flow-runs-part.js";
import { DeploymentViews } from "./deployments/deployment-views.js";
import { GraphViews } from "./graph/graph-views.js";
import { trackFlowFileContext } from "./flow-code-watch.js";

export class Ctx {
  readonly config: Config;
  /** Which tributaryjs runs flows and the local server: the workspace's or the bundled one. */
  readonly runtimes: RuntimeCopies;
  /** Which executable runs flows and the local server: tributary.nodePath, node on the PATH or VS Code's runtime. */
  readonly flowRuntimes: FlowRuntimes;
  /** The orchestration server: configured, or local to the workspace. Connected on first use. */
  readonly orchestration: Orchestration;
  /** Flow Runs, run logs and the status bar item. */
  readonly flowRuns: FlowRunsPart;
  readonly deploymentViews: DeploymentViews;
  /** The dependency graph and run graph webviews. */
  readonly graphViews: GraphViews;
  private client: LanguageClient | undefined;
  private serverSubscriptions: vscode.Disposable[] = [];
  private starting: Promise<void> | undefined;
  /** When the extension activated: the bench reads "Language server ready in N ms after activation". */
  private readonly activatedAt = performance.now();

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.config = new Config();
    this.runtimes = new RuntimeCopies(this);
    extension.subscriptions.push(this.runtimes);
    this.flowRuntimes = new FlowRuntimes(this);
    extension.subscriptions.push(this.flowRuntimes);
    this.orchestration = new Orchestration(this);
    extension.subscriptions.push(this.orchestration);
    this.flowRuns = new FlowRunsPart(this);
    extension.subscriptions.push(this.flowRuns);
    this.deploymentViews = new DeploymentViews(this);
    extension.subscriptions.push(this.deploymentViews);
    this.graphViews = new GraphViews(this);
    extension.subscriptions.push(this.graphViews);
  }

  async activate(): Promise<void> {
    this.log.info(`Activating Tributary ${this.extension.extension.packageJSON.version as string} (VS Code ${vscode.version})`);
    registerCommands(this);
    this.pushExtension(this.config.onDidChange((needsRestart) => void this.offerRestart(needsRestart)));
    // The server link follows its settings and the workspace's trust, once something has used it.
    this.pushExtension(
      vscode.workspace.onDidChangeConfiguration((event) => {
        const moved = event.affectsConfiguration("tributary.serverUrl") || event.affectsConfiguration("tributary.nodePath");
        if (moved && this.orchestration.state !== "idle") void this.orchestration.reconnect();
      }),
    );
    this.pushExtension(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (this.orchestration.state === "restricted") void this.orchestration.reconnect();
        // The language server may now load the analysis of the workspace's own tributaryjs.
        if (this.client !== undefined) void this.restartServer();
      }),
    );
    this.runtimes.checkFolders();
    this.pushExtension(this.runtimes.onDidChange(() => this.runtimes.checkFolders()));
    // onLanguage activates on any TS/JS file; the server starts only once flow code is seen.
    this.pushExtension(trackFlowFileContext());
    const watch = new FlowCodeWatch(() => void this.startServer());
    this.pushExtension(watch);
    watch.start();
  }

  /** Keeps `disposable` until the extension deactivates. */
  pushExtension(disposable: vscode.Disposable): void {
    this.extension.subscriptions.push(disposable);
  }

  /** Keeps `disposable` until the running language server stops. */
  pushServer(disposable: vscode.Disposable): void {
    this.serverSubscriptions.push(disposable);
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  /** Starts the language server once; later calls wait for the same start. */
  startServer(): Promise<void> {
    this.starting ??= this.doStart().catch(async (error: unknown) => {
      this.starting = undefined;
      const failed = this.client;
      this.client = undefined;
      await failed?.dispose().catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`The language server did not start: ${message}`);
      void vscode.window.showErrorMessage(`Tributary's language server did not start: ${message}`, "Show Log").then((choice) => {
        if (choice === "Show Log") this.log.show();
      });
    });
    return this.starting;
  }

  async restartServer(): Promise<void> {
    this.log.info("Restarting the language server");
    await this.stopServer();
    await this.startServer();
  }

  async stopServer(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    for (const disposable of this.serverSubscriptions.splice(0)) disposable.dispose();
    if (client) await client.dispose();
  }

  private async doStart(): Promise<void> {
    const client = createLanguageClient(this);
    this.client = client;
    await client.start();
    this.log.info(`Language server ready in ${Math.round(performance.now() - this.activatedAt)} ms after activation`);
  }

  private async offerRestart(needsRestart: boolean): Promise<void> {
    if (!needsRestart || this.client === undefined) return;
    const choice = await vscode.window.showInformationMessage("A Tributary setting changed that takes effect when the language server restarts.", "Restart Now");
    if (choice === "Restart Now") await this.restartServer();
  }
}
