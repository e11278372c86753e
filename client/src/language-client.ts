/**
 * The language client over the bundled language server (dist/server/main.js) on stdio. The
 * server is a Node program; it runs under `tributary.nodePath` (or `node` on the PATH), in its
 * own process, never inside the extension host.
 */
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import type { Ctx } from "./ctx.js";
import { FLOW_LANGUAGES } from "./flow-code-watch.js";

export function createLanguageClient(ctx: Ctx): LanguageClient {
  const module = vscode.Uri.joinPath(ctx.extension.extensionUri, "dist", "server", "main.js").fsPath;
  const run = { command: ctx.config.nodePath, args: [module], transport: TransportKind.stdio, options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: FLOW_LANGUAGES.map((language) => ({ scheme: "file", language })),
    outputChannel: ctx.log,
    // No `synchronize`: the server pulls `tributary.*` per file and registers for changes itself.
    // The id "tributary" makes the client follow `tributary.trace.server`.
  };
  ctx.log.info(`Starting the language server: ${ctx.config.nodePath} ${module}`);
  return new LanguageClient("tributary", "Tributary Language Server", serverOptions, clientOptions);
}
