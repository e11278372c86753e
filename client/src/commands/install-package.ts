/**
 * `tributary.installPackage`: the quick fix of TRB160 ("Install tributaryjs"). Runs the project's
 * package manager (from its lockfile: npm, pnpm, yarn or bun; npm when there is none) in a terminal
 * in the folder of the nearest package.json. Refused in Restricted Mode: an install runs the
 * packages' install scripts.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { InstallPackageArguments } from "../../../server/src/protocol.js";
import { planInstall } from "../../../server/src/workspace-package/package-manager.js";
import type { Ctx } from "../ctx.js";

export const installPackage = (ctx: Ctx) => async (args?: InstallPackageArguments) => {
  const file = args?.file ?? vscode.window.activeTextEditor?.document.uri.fsPath;
  if (file === undefined) {
    await vscode.window.showErrorMessage("Open a flow file to install tributaryjs for its project.");
    return;
  }
  const plan = planInstall(path.dirname(file));
  if (!vscode.workspace.isTrusted) {
    ctx.log.warn(`Not running \`${plan.command}\` in ${plan.cwd}: the workspace is not trusted.`);
    const choice = await vscode.window.showWarningMessage(
      `Tributary does not install packages in Restricted Mode: \`${plan.command}\` would run the packages' install scripts in this untrusted workspace. Trust the workspace, or run it yourself in ${plan.cwd}.`,
      "Manage Workspace Trust",
    );
    if (choice === "Manage Workspace Trust") await vscode.commands.executeCommand("workbench.trust.manage");
    return;
  }
  ctx.log.info(`Installing tributaryjs: \`${plan.command}\` in ${plan.cwd} (${plan.manager}: ${plan.reason})`);
  const terminal = vscode.window.createTerminal({ name: "Install tributaryjs", cwd: plan.cwd });
  terminal.show();
  terminal.sendText(plan.command);
};
