import * as vscode from "vscode";

/**
 * In an untrusted workspace analysis works and nothing runs: running executes the workspace's
 * code. Says so, offers to manage trust, and answers whether to go on.
 */
export async function ensureTrusted(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `Tributary does not ${what} in an untrusted workspace: running executes this workspace's code. Trust the workspace to ${what}; dependency checks keep working meanwhile.`,
    "Manage Workspace Trust",
  );
  if (choice === "Manage Workspace Trust") await vscode.commands.executeCommand("workbench.trust.manage");
  return false;
}
