/**
 * The runtime that runs flows and the local server: `tributary.nodePath`, else `node` on the PATH,
 * else VS Code's own runtime (flow-runtime-choice.ts decides). Each executable is probed once and
 * the answer kept until `tributary.nodePath` changes, or until no runtime was usable (so a Node
 * installed meanwhile is found on the next try). When none is usable, one message says what was
 * found and which Node to install, in a notification with a button to the setting and in the log.
 * Nothing is probed in Restricted Mode, where nothing runs.
 */
import { existsSync } from "node:fs";
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { isExecutableFile } from "./find-on-path.js";
import { betterSqlite3Built, chooseFlowRuntime, type FlowRuntime } from "./flow-runtime-choice.js";
import { probeNode, type NodeProbe } from "./node-probe.js";
import type { RuntimeCopy } from "./runtime-copies.js";

const OPEN_SETTING = "Open Setting";
const SHOW_LOG = "Show Log";

export class FlowRuntimes implements vscode.Disposable {
  private readonly probes = new Map<string, Promise<NodeProbe>>();
  /** Messages on screen now: the local server and a run failing together show one notification. */
  private readonly showing = new Set<string>();
  private last: FlowRuntime | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** Fires when the runtime last chosen changes (or is forgotten after a settings change). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration("tributary.nodePath")) return;
        this.probes.clear();
        this.last = undefined;
        this.changeEmitter.fire();
      }),
    );
  }

  /** The runtime chosen last, for the status bar; undefined until something ran. */
  get lastChosen(): FlowRuntime | undefined {
    return this.last;
  }

  /** The runtime to run `copy`'s CLI with, or undefined when there is none (already reported) or the workspace is in Restricted Mode. */
  async choose(copy: RuntimeCopy): Promise<FlowRuntime | undefined> {
    if (!vscode.workspace.isTrusted) {
      this.ctx.log.info("Nothing runs in Restricted Mode: no Node.js was looked for.");
      return undefined;
    }
    const choice = await chooseFlowRuntime({
      nodePath: this.ctx.config.nodePath,
      lookup: { env: process.env, platform: process.platform, isExecutable: isExecutableFile },
      exists: existsSync,
      execPath: process.execPath,
      copy: { source: copy.source, betterSqlite3: betterSqlite3Built(copy.root, existsSync) },
      probe: (command, env) => this.probe(command, env),
    });
    if (!choice.ok) {
      this.probes.clear();
      this.report(choice.message);
      return undefined;
    }
    if (choice.runtime.label !== this.last?.label) {
      for (const reason of choice.passedOver) this.ctx.log.info(`Not running flows with it: ${reason}.`);
      this.ctx.log.info(`Flows and the local server run on ${choice.runtime.label}.`);
      this.last = choice.runtime;
      this.changeEmitter.fire();
    }
    return choice.runtime;
  }

  private probe(command: string, env: NodeJS.ProcessEnv): Promise<NodeProbe> {
    const key = `${command}\0${env.ELECTRON_RUN_AS_NODE ?? ""}`;
    let probe = this.probes.get(key);
    if (probe === undefined) {
      probe = probeNode(command, env);
      this.probes.set(key, probe);
    }
    return probe;
  }

  private report(message: string): void {
    this.ctx.log.error(message);
    if (this.showing.has(message)) return;
    this.showing.add(message);
    void vscode.window.showErrorMessage(message, OPEN_SETTING, SHOW_LOG).then((choice) => {
      this.showing.delete(message);
      // A machine-scoped setting of a remote window (code-server, SSH, WSL) is listed only among the
      // remote's settings: the User tab would show "No Settings Found".
      if (choice === OPEN_SETTING) void vscode.commands.executeCommand(vscode.env.remoteName ? "workbench.action.openRemoteSettings" : "workbench.action.openSettings", { query: "tributary.nodePath" });
      if (choice === SHOW_LOG) this.ctx.log.show();
    });
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
