/**
 * Where the extension's own copy of the tributaryjs package lives: `runtime/` inside the extension
 * (the package folder itself in the repository; a copy with its native dependencies in the .vsix).
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";

/** The CLI's built entry (`runtime/dist/cli/main.js`) of the bundled package. */
export function bundledCliPath(ctx: Ctx): string {
  return vscode.Uri.joinPath(ctx.extension.extensionUri, "runtime", "dist", "cli", "main.js").fsPath;
}
