/**
 * Registers the deployments and automations the workspace declares: `tributary deploy <files…>`
 * through the bundled CLI (a child process), against the connected server. The files are those
 * `tributary deploy` itself would pick (importing tributary, calling deploy( or automation( ),
 * searched in every folder of the workspace.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { AutomationRecord, DeploymentRecord, UpsertResult } from "../../../runtime/src/orchestrator/contract.js";
import type { Ctx } from "../ctx.js";
import { runCli } from "../run/cli-process.js";
import { declaresDeploymentsOrAutomations } from "./find-declaration.js";

export interface RegisterOptions {
  /** Only these files (absolute paths); all declaring files of the workspace when absent. */
  files?: string[];
  /** No progress notification and no message on success: the log only (sync on save). */
  quiet?: boolean;
}

interface DeployJson {
  deployments: UpsertResult<DeploymentRecord>[];
  automations: UpsertResult<AutomationRecord>[];
}

/** Answers whether everything registered; failures are shown (also when quiet) and logged. */
export async function registerDeployments(ctx: Ctx, options: RegisterOptions = {}): Promise<boolean> {
  const byFolder = new Map<vscode.WorkspaceFolder, string[]>();
  for (const file of options.files ?? (await declaringFiles())) {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    if (folder) byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  if (byFolder.size === 0) {
    if (!options.quiet) await vscode.window.showInformationMessage("No flow file in this workspace declares a deployment or automation. Declare one with deploy(flow, { name }) or automation(name, { trigger, actions }).");
    return false;
  }
  const registered: DeployJson = { deployments: [], automations: [] };
  for (const [folder, files] of byFolder) {
    const args = ["deploy", ...files.map((file) => path.relative(folder.uri.fsPath, file)), "--json"];
    const run = (token: vscode.CancellationToken) => runCli(ctx, args, folder.uri.fsPath, token);
    const result = options.quiet
      ? await quietly(run)
      : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Registering deployments and automations…", cancellable: true }, (_progress, token) => run(token));
    // No runtime to run the CLI with: already shown, with what to install.
    if (result === undefined) return false;
    const parsed = parseDeployJson(result.stdout);
    if (result.code !== 0 || parsed === undefined) {
      const reason = result.stderr.trim().split("\n").pop() || `the CLI exited with code ${String(result.code)}`;
      ctx.log.error(`tributary deploy in ${folder.uri.fsPath} failed: ${reason}`);
      const choice = await vscode.window.showErrorMessage(`Deployments were not registered: ${reason}`, "Show Log");
      if (choice === "Show Log") ctx.log.show();
      ctx.deploymentViews.refresh();
      return false;
    }
    registered.deployments.push(...parsed.deployments);
    registered.automations.push(...parsed.automations);
  }
  const summary = summarize(registered);
  ctx.log.info(summary);
  ctx.deploymentViews.refresh();
  if (!options.quiet) void vscode.window.showInformationMessage(summary);
  return true;
}

async function quietly<T>(run: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const source = new vscode.CancellationTokenSource();
  try {
    return await run(source.token);
  } finally {
    source.dispose();
  }
}

function parseDeployJson(stdout: string): DeployJson | undefined {
  try {
    const parsed = JSON.parse(stdout) as Partial<DeployJson>;
    return Array.isArray(parsed.deployments) && Array.isArray(parsed.automations) ? (parsed as DeployJson) : undefined;
  } catch {
    return undefined;
  }
}

function summarize({ deployments, automations }: DeployJson): string {
  const counts = new Map<string, number>();
  for (const r of [...deployments, ...automations]) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const how = [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
  return `Registered ${plural(deployments.length, "deployment")} and ${plural(automations.length, "automation")}${how ? ` (${how})` : ""}.`;
}

async function declaringFiles(): Promise<string[]> {
  const uris = await vscode.workspace.findFiles("**/*.{ts,mts,cts,js,mjs,cjs}", "{**/node_modules/**,**/dist/**,**/.tributary/**,**/.git/**}");
  const files: string[] = [];
  for (const uri of uris) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (declaresDeploymentsOrAutomations(uri.fsPath, text)) files.push(uri.fsPath);
  }
  return files.sort();
}

/** The sync on save (`tributary.deployments.syncOnSave`): quiet, for a saved file that declares something. */
export function syncOnSave(ctx: Ctx): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument((document) => {
    if (!ctx.config.syncDeploymentsOnSave || !vscode.workspace.isTrusted || document.uri.scheme !== "file") return;
    if (!declaresDeploymentsOrAutomations(document.uri.fsPath, document.getText())) return;
    ctx.log.info(`Saved ${document.uri.fsPath}: registering its deployments and automations`);
    void registerDeployments(ctx, { files: [document.uri.fsPath], quiet: true });
  });
}
