/**
 * The extension's entry: builds the one {@link Ctx} and hands it everything else. An activation
 * failure is shown to the user and logged, never swallowed (rust-analyzer's rule).
 */
import * as vscode from "vscode";
import { Ctx } from "./ctx.js";

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("Tributary", { log: true });
  context.subscriptions.push(log);
  try {
    ctx = new Ctx(context, log);
    await ctx.activate();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(`Tributary could not start: ${message}`, "Show Log").then((choice) => {
      if (choice === "Show Log") log.show();
    });
  }
}

export async function deactivate(): Promise<void> {
  await ctx?.stopServer();
  ctx = undefined;
}
