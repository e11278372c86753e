/**
 * Typed access to the `tributary.*` settings that package.json declares, and the knowledge of which
 * changes need a language-server restart. The server pulls its own settings
 * (`workspace/configuration`), so diagnostics and code-lens switches apply without one.
 */
import * as vscode from "vscode";

const SECTION = "tributary";

/** Settings read once when the server starts: changing them needs a restart. */
const RESTART_KEYS = ["nodePath"] as const;

export type TraceLevel = "off" | "messages" | "verbose";

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** The orchestration server's URL; empty means a local server for the workspace. */
  get serverUrl(): string {
    return this.section.get<string>("serverUrl", "").trim();
  }

  /**
   * The Node.js executable the user chose for the language server, flow runs and the local server,
   * if any. Without it, flow-runtimes.ts chooses one for runs.
   */
  get nodePath(): string | undefined {
    return this.section.get<string>("nodePath", "").trim() || undefined;
  }

  get historyPageSize(): number {
    const size = this.section.get<number>("history.pageSize", 50);
    return Number.isInteger(size) && size > 0 ? size : 50;
  }

  get syncDeploymentsOnSave(): boolean {
    return this.section.get<boolean>("deployments.syncOnSave", false);
  }

  /** Whether the end of a run an automation started is told in a notification (`tributary.notifications.automationRuns`). */
  get automationRunNotifications(): boolean {
    return this.section.get<boolean>("notifications.automationRuns", true);
  }

  get diagnosticsEnabled(): boolean {
    return this.section.get<boolean>("diagnostics.enable", true);
  }

  get codeLensEnabled(): boolean {
    return this.section.get<boolean>("codeLens.enable", true);
  }

  get trace(): TraceLevel {
    return this.section.get<TraceLevel>("trace.server", "off");
  }

  /** Calls `listener` on every change to `tributary.*`, saying whether the server must restart. */
  onDidChange(listener: (needsRestart: boolean) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      listener(RESTART_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`)));
    });
  }
}
