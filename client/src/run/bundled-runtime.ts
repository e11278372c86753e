/**
 * Where the extension's own copy of the tributaryjs package lives: `runtime/` inside the extension
 * (the package folder itself in the repository; a copy with its native dependencies in the .vsix).
 */
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";

/** The bundled package's folder. */
export function bundledRuntimeRoot(ctx: Ctx): string {
  return vscode.Uri.joinPath(ctx.extension.extensionUri, "runtime").fsPath;
}

/** The CLI's built entry (`runtime/dist/cli/main.js`) of the bundled package. */
export function bundledCliPath(ctx: Ctx): string {
  return vscode.Uri.joinPath(ctx.extension.extensionUri, "runtime", "dist", "cli", "main.js").fsPath;
}

/** The bundled package's version (runtime/package.json), or "" when it cannot be read. */
export function bundledVersion(ctx: Ctx): string {
  try {
    return (JSON.parse(readFileSync(vscode.Uri.joinPath(ctx.extension.extensionUri, "runtime", "package.json").fsPath, "utf8")) as { version?: string }).version ?? "";
  } catch {
    return "";
  }
}
