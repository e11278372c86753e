/**
 * The language client over the bundled language server (dist/server/main.js) on stdio, in its own
 * process. It tells the server whether the workspace is trusted: only then does the server load
 * the analysis of the workspace's own tributaryjs (its log says which copy each folder uses). It is plain JavaScript with no native module, so by default it runs on the extension
 * host's own runtime (always there); `tributary.nodePath` runs it under that Node.js instead.
 */
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import type { Ctx } from "./ctx.js";
import { FLOW_LANGUAGES } from "./flow-code-watch.js";
import type { InitializationOptions } from "../../server/src/protocol.js";

export function createLanguageClient(ctx: Ctx): LanguageClient {
  const module = vscode.Uri.joinPath(ctx.extension.extensionUri, "dist", "server", "main.js").fsPath;
  const nodePath = ctx.config.nodePath;
  // --expose-gc: after a cold index the server collects the parse's garbage once (tributary-server.ts).
  const serverOptions: ServerOptions =
    nodePath !== undefined ? { command: nodePath, args: ["--expose-gc", module], transport: TransportKind.stdio } : { module, transport: TransportKind.stdio, options: { execArgv: ["--expose-gc"] } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: FLOW_LANGUAGES.map((language) => ({ scheme: "file", language })),
    outputChannel: ctx.log,
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted } satisfies InitializationOptions,
    // No `synchronize`: the server pulls `tributary.*` per file and registers for changes itself.
    // The id "tributary" makes the client follow `tributary.trace.server`.
  };
  ctx.log.info(`Starting the language server: ${module} on ${nodePath ?? "the extension host's runtime"}`);
  return new LanguageClient("tributary", "Tributary Language Server", serverOptions, clientOptions);
}
