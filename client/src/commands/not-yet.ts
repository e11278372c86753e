import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";

/** A command the language server's lenses already name but this version does not do yet. */
export const notYet = (what: string) => (ctx: Ctx) => async () => {
  ctx.log.info(`${what} was asked for; it is not in this version yet.`);
  await vscode.window.showInformationMessage(`${what} is not in this version of Tributary yet. Use the tributary CLI meanwhile.`);
};
