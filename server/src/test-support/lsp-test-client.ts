/**
 * For protocol tests: the real built language server (`node dist/server/main.js --stdio`) driven
 * over JSON-RPC as an editor would. Waiting is on notifications, never on time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  type ClientCapabilities,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol";
import type { InitializationOptions } from "../protocol.js";

export const repoRoot = path.resolve(__dirname, "../../..");
const serverMain = path.join(repoRoot, "dist/server/main.js");

/**
 * A temporary copy of a fixture folder; `dispose()` removes it. The copy is a project with
 * tributaryjs installed (node_modules/tributaryjs links to the repository's runtime/, as in the
 * repository itself) unless `packageInstalled` is false.
 */
export function copyFixture(relative: string, { packageInstalled = true } = {}): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-lsp-"));
  // Without caches a run of `tributary check` in the fixture may have left (.tributary is ignored by git).
  cpSync(path.join(repoRoot, relative), dir, { recursive: true, filter: (from) => path.basename(from) !== ".tributary" });
  if (packageInstalled) installRepositoryPackage(dir);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Makes `dir/node_modules/tributaryjs` a link to the repository's package folder (runtime/). */
export function installRepositoryPackage(dir: string): void {
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  symlinkSync(path.join(repoRoot, "runtime"), path.join(dir, "node_modules", "tributaryjs"), "junction");
}

export const uriOf = (file: string) => pathToFileURL(file).href;

const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
    codeLens: {},
    hover: { contentFormat: ["markdown", "plaintext"] },
    completion: { completionItem: { snippetSupport: false } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } },
  },
};

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly errors: string[] = [];
  /** Every window/logMessage, in order. */
  readonly logs: string[] = [];
  private readonly logWaiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  /** What `workspace/configuration` answers for section "tributary". */
  settings: unknown = {};
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; test: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  private readonly exited: Promise<number | null>;
  private versions = new Map<string, number>();

  private constructor(readonly child: ChildProcess) {
    const reader = new StreamMessageReader(child.stdout!);
    // The reader re-arms a 10 s "partial message" timer for as long as a message it got part of
    // stays unfinished, and neither dispose() nor the stream's end clears it: a server killed while
    // writing left a referenced timer that kept the test file's process alive after its last test
    // (a Node 24 CI leg hung on it). Nothing here listens for partial messages, so no timer at all.
    reader.partialMessageTimeout = 0;
    this.connection = createMessageConnection(reader, new StreamMessageWriter(child.stdin!));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, params);
      for (const w of [...this.waiters]) {
        if (w.uri === params.uri && w.test(params.diagnostics)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(params.diagnostics);
        }
      }
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      if (params.type === MessageType.Error) this.errors.push(params.message);
      this.logs.push(params.message);
      for (const w of [...this.logWaiters]) {
        if (w.pattern.test(params.message)) {
          this.logWaiters.splice(this.logWaiters.indexOf(w), 1);
          w.resolve(params.message);
        }
      }
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.listen();
  }

  /**
   * Starts the server and initializes it with one workspace folder (or several). `server` is the
   * built server's main.js: the repository's by default, or one unpacked from a .vsix.
   */
  static async start(workspace: string | readonly string[], initializationOptions?: InitializationOptions, server = serverMain): Promise<LspTestClient> {
    const folders = typeof workspace === "string" ? [workspace] : workspace;
    if (!existsSync(server)) throw new Error(`${server} is missing: build first (npm run build)`);
    // TRIBUTARY_PROFILE_SERVER=<dir>: the server writes a CPU profile there as it exits (a bench's server, profiled).
    const profile = process.env.TRIBUTARY_PROFILE_SERVER ? ["--cpu-prof", `--cpu-prof-dir=${process.env.TRIBUTARY_PROFILE_SERVER}`] : [];
    // As the extension starts it (language-client.ts): with --expose-gc.
    const child = spawn(process.execPath, [...profile, "--expose-gc", server, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
    const client = new LspTestClient(child);
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(folders[0]!),
      workspaceFolders: folders.map((dir) => ({ uri: uriOf(dir), name: path.basename(dir) })),
      capabilities: CAPABILITIES,
      initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves with the file's diagnostics once a publish satisfies `test` (the latest one counts too). */
  diagnostics(file: string, test: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const latest = this.latest.get(uri);
    if (latest && test(latest.diagnostics)) return Promise.resolve(latest.diagnostics);
    return new Promise((resolve, reject) => {
      this.waiters.push({ uri, test, resolve });
      void this.exited.then((code) => reject(new Error(`The server exited (code ${code}) before publishing the awaited diagnostics of ${file}.`)));
    });
  }

  /** Resolves with the first log message (past or future) that matches. */
  logged(pattern: RegExp): Promise<string> {
    const found = this.logs.find((line) => pattern.test(line));
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.logWaiters.push({ pattern, resolve }));
  }

  /** The next publish for the file, whatever it holds. */
  nextDiagnostics(file: string): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    return new Promise((resolve) => this.waiters.push({ uri, test: () => true, resolve }));
  }

  async open(file: string, text = readFileSync(file, "utf8")): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId: "typescript", version: 1, text } });
  }

  /** Replaces the document's whole text (a full-content change). */
  async change(file: string, text: string): Promise<void> {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(file), version }, contentChanges: [{ text }] });
  }

  async close(file: string): Promise<void> {
    this.versions.delete(file);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(file) } });
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** shutdown then exit, as an editor ends a session; resolves with the exit code. */
  async stop(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.child.kill("SIGKILL");
    this.connection.dispose();
  }
}
