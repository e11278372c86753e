import { readFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import {
  CodeActionKind,
  DiagnosticSeverity,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type Disposable,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type TextDocumentPositionParams,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { AnalysisApi } from "./analysis/analysis-api.js";
import type { AnalysisProject, AnalysisSnapshot, Finding, GraphDetailsJson, GraphJson } from "./analysis/index.js";
import { CONFIG_FILE, WORKSPACE_LAYOUT_FILE, WORKSPACE_LAYOUT_GLOB } from "./analysis/config-file-names.js";
import { AnalysisCopies, bundledAnalysis, type AnalysisCopy } from "./analysis-copies.js";
import { isSourceFile } from "./analysis/source-files.js";
import { AnalysisThrottle } from "./analysis-throttle.js";
import { codeActionsFor } from "./code-actions.js";
import { codeLensesOf, resolveCodeLens } from "./code-lenses.js";
import { pathToUri, uriToPath } from "./file-uris.js";
import { hoverAt } from "./hover-content.js";
import { completeNameAt } from "./name-completion.js";
import { PackageImports } from "./package-imports.js";
import { GraphDetailsRequest, GraphRequest, type InitializationOptions } from "./protocol.js";
import { SettingsCache } from "./settings-cache.js";
import { settleWithin } from "./settle-within.js";
import { toDiagnostic } from "./to-diagnostic.js";
import { WorkspaceProjects, type ProjectAnalysis } from "./workspace-projects.js";

/** At most one re-analysis per this many milliseconds while edits keep coming. */
const ANALYSIS_WINDOW_MS = 120;
/** How long shutdown waits for the cache writes: on a hung file system they must not hold the client's exit. */
const SHUTDOWN_SETTLE_MS = 2000;
const SOURCE_GLOB = "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}";
/** Where a workspace folder's config may live (see analysis/project-config.ts); package.json is also a manifest. */
const CONFIG_GLOB = `**/${CONFIG_FILE}`;
/** What an install or uninstall of a package changes: TRB160 and the choice of analysis are made again. */
const MANIFEST_GLOB = "**/{package.json,package-lock.json,npm-shrinkwrap.json,pnpm-lock.yaml,yarn.lock,bun.lock,bun.lockb}";
const MANIFEST = /(?:^|[\\/])(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?)$/;

/**
 * The language server: a thin layer that keeps the analysis projects fed with document and disk
 * changes, publishes what changed, and converts the analysis queries to LSP answers. Every handler
 * is guarded: an error is logged to the client's console and answered with an empty result, so
 * broken code (or a bug) never takes the server down. Everything it registers is disposed on shutdown.
 */
/** Files parsed since the last collection above which an index ends with a full collection (collectAfterParsing). */
const COLLECT_AFTER_PARSING = 500;

export class TributaryServer implements Disposable {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly disposables: Disposable[] = [];
  private readonly projects: WorkspaceProjects;
  private readonly settings: SettingsCache;
  private readonly throttle: AnalysisThrottle;
  /** Open documents' URIs by file path: diagnostics go to the URI the client opened. */
  private readonly openUris = new Map<string, string>();
  private capabilities: ClientCapabilities = {};
  /** Which copy of the analysis each folder uses; made at initialize, when the client says whether the workspace is trusted. */
  private copies = new AnalysisCopies(false);
  /** Whether the client said the workspace is trusted: only then is anything (the summary cache) written into it. */
  private trusted = false;
  /** TRB160: flow files whose import of tributaryjs resolves nothing. */
  private readonly packageImports = new PackageImports();
  private initialFolders: string[] = [];
  private indexed: Promise<void> | undefined;
  /** Folders being read: edits wait for them, so that no analysis sees half a workspace. */
  private indexing = 0;
  /** Files parsed in this process when the garbage of parsing was last collected (collectAfterParsing). */
  private parsedAtCollection = 0;
  /** The config file each folder's last bad config was reported on, to clear it once fixed. */
  private readonly configProblems = new Map<string, string>();
  /** What the log last said about each folder's copy of the analysis. */
  private readonly announcedCopies = new Map<string, string>();

  constructor(private readonly connection: Connection) {
    this.projects = new WorkspaceProjects({
      isOpen: (file) => this.openUris.has(file),
      openText: (file) => {
        const uri = this.openUris.get(file);
        return uri === undefined ? undefined : this.documents.get(uri)?.getText();
      },
      openFiles: () => this.openUris.keys(),
      copyFor: (folder) => this.chooseAnalysis(folder),
      bundled: bundledAnalysis(),
      onFlowText: (file, text) => this.packageImports.record(file, text),
      cacheAllowed: () => this.trusted,
      onCacheWritten: (root, entries) => this.connection.console.info(`Tributary: kept ${entries} file summaries in ${root}'s cache (.tributary/cache).`),
    });
    this.settings = new SettingsCache(connection, () => this.capabilities.workspace?.configuration === true);
    this.throttle = new AnalysisThrottle(ANALYSIS_WINDOW_MS, () => this.analyzeAndPublish());
    this.disposables.push(this.throttle);
  }

  listen(): void {
    const c = this.connection;
    this.disposables.push(
      c.onInitialize((params) => this.initialize(params)),
      c.onInitialized(this.guard("initialized", undefined, () => this.initialized())),
      c.onDidChangeConfiguration(this.guard("didChangeConfiguration", undefined, (params) => this.configurationChanged(params.settings))),
      c.onDidChangeWatchedFiles(this.guard("didChangeWatchedFiles", undefined, (params) => this.filesChanged(params.changes))),
      this.documents.onDidChangeContent(this.guard("didChange", undefined, (e) => this.documentChanged(e.document))),
      this.documents.onDidClose(this.guard("didClose", undefined, (e) => this.documentClosed(e.document))),
      c.onCodeLens(this.guard("codeLens", [], async (params) => {
        const file = uriToPath(params.textDocument.uri);
        if (!file || !(await this.settings.get(params.textDocument.uri)).codeLens.enable) return [];
        return codeLensesOf(this.projects.apiFor(file), await this.snapshotFor(file), file);
      })),
      c.onCodeLensResolve(async (lens) => {
        const resolve = this.guard("codeLens/resolve", undefined, async () => {
          const file = (lens.data as { file?: string } | undefined)?.file;
          return file === undefined ? undefined : resolveCodeLens(this.projects.apiFor(file), await this.snapshotFor(file), lens);
        });
        // A lens whose declaration went away since it was listed (or that failed): inert until the next refresh.
        return (await resolve()) ?? { ...lens, command: { title: "…", command: "" } };
      }),
      c.onHover(this.guard("hover", null, async (params) => {
        const at = await this.position(params);
        return at ? (hoverAt(at.api, at.snapshot, at.file, at.offset) ?? null) : null;
      })),
      c.onDefinition(this.guard("definition", null, async (params) => this.definition(params))),
      c.onCompletion(this.guard("completion", [], async (params) => {
        const at = await this.position(params);
        return at ? completeNameAt(at.api, at.snapshot, at.file, at.document.getText(), params.position, at.offset) : [];
      })),
      c.onCodeAction(this.guard("codeAction", [], async (params) => {
        const document = this.documents.get(params.textDocument.uri);
        const file = uriToPath(params.textDocument.uri);
        if (!document || !file) return [];
        const findings = (await this.snapshotFor(file)).findings.get(file) ?? [];
        return codeActionsFor(document, params.context.diagnostics, (d) =>
          findings.find((f) => f.code === d.code && f.range.start.line === d.range.start.line && f.range.start.character === d.range.start.character),
        );
      })),
      c.onRequest(GraphRequest.type, this.guard("tributary/graph", { nodes: [], edges: [] } as GraphJson, async (params) => this.graph(params?.uri))),
      c.onRequest(GraphDetailsRequest.type, this.guard("tributary/graphDetails", { root: "", nodes: [], edges: [], cycles: [] } as GraphDetailsJson, async (params) => this.graphDetails(params?.uri))),
      // Summaries still being written go to disk before the client's exit (the next start reads them), waited for within a bound.
      c.onShutdown(async () => {
        if (!(await settleWithin(this.projects.settle(), SHUTDOWN_SETTLE_MS))) {
          this.connection.console.warn(`Tributary: the cache writes did not finish within ${SHUTDOWN_SETTLE_MS / 1000} s; shutting down without them (the next start parses what they did not keep).`);
        }
        this.dispose();
      }),
    );
    this.disposables.push(this.documents.listen(c));
    c.listen();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // Shutting down: nothing more to do about a registration that cannot be undone.
      }
    }
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities;
    // Without a word from the client the workspace is not trusted: no code from its node_modules runs.
    this.trusted = (params.initializationOptions as InitializationOptions | undefined)?.workspaceTrusted === true;
    this.copies = new AnalysisCopies(this.trusted);
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: "root" }] : []);
    this.initialFolders = folders.flatMap((f) => uriToPath(f.uri) ?? []);
    for (const folder of this.initialFolders) this.projects.addFolder(folder);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeLensProvider: { resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: ['"', "'", "/"] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "tributary-language-server" },
    };
  }

  private async initialized(): Promise<void> {
    const indexing = this.index(this.initialFolders);
    const workspace = this.capabilities.workspace;
    if (workspace?.didChangeConfiguration?.dynamicRegistration) {
      this.disposables.push(await this.connection.client.register(DidChangeConfigurationNotification.type, { section: "tributary" }));
    }
    if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      this.disposables.push(await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [SOURCE_GLOB, CONFIG_GLOB, MANIFEST_GLOB, WORKSPACE_LAYOUT_GLOB].map((globPattern) => ({ globPattern })) }));
    }
    if (workspace?.workspaceFolders) {
      this.disposables.push(this.connection.workspace.onDidChangeWorkspaceFolders(this.guard("didChangeWorkspaceFolders", undefined, (e) => this.foldersChanged(e.added.flatMap((f) => uriToPath(f.uri) ?? []), e.removed.flatMap((f) => uriToPath(f.uri) ?? [])))));
    }
    await indexing;
  }

  /** Reads every flow file of the folders, analyses them all, publishes open files first. */
  private index(folders: readonly string[]): Promise<void> {
    const previous = this.indexed ?? Promise.resolve();
    const run = async () => {
      await previous;
      const started = performance.now();
      this.indexing++;
      let results: ProjectAnalysis[];
      let replaced: string[];
      try {
        replaced = (await Promise.all(folders.map((folder) => this.projects.loadFolder(folder)))).flat();
        results = this.projects.analyzeDirty();
      } finally {
        this.indexing--;
      }
      this.reportConfigs(folders);
      // Files of a folder read again (its config or its re-exports changed) that are no longer checked.
      for (const file of replaced) if (!this.projects.hasFile(file)) this.clearDiagnostics(file);
      const count = results.reduce((n, r) => n + r.project.files().length, 0);
      const fromCache = results.reduce((n, r) => n + (r.project.stats().fromCache ?? 0), 0);
      const factsFromCache = results.reduce((n, r) => n + (r.project.stats().factsFromCache ?? 0), 0);
      this.connection.console.info(`Tributary: analysed ${count} flow files in ${Math.round(performance.now() - started)} ms (${fromCache} summaries from the cache, ${factsFromCache} files' facts from the cache).`);
      // A package.json of the workspace that cannot be read costs its package's imports: say which.
      for (const { project } of results) for (const problem of project.workspaceProblems?.() ?? []) this.connection.console.warn(`Tributary: ${problem.file}: ${problem.message}`);
      this.collectAfterParsing(results.reduce((n, r) => n + r.project.stats().summarized, 0));
      await this.publish(results, "all");
    };
    this.indexed = run().catch((error: unknown) => this.logError("indexing", error));
    return this.indexed;
  }

  /**
   * After an index that parsed many files (a cold start), one full collection: the parsed syntax
   * trees are garbage by then, but V8 kept the heap they grew (393–445 MB resident at 2,000 files,
   * 160 MB of it live) and its memory reducer had not run 45 s later. The collection (0.3–1.5 s at
   * 2,000 files) comes before the first diagnostics, once; a warm start parses nothing and skips it.
   * Only where the process was started with --expose-gc (the extension and the tests start it so).
   */
  private collectAfterParsing(parsed: number): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined || parsed - this.parsedAtCollection < COLLECT_AFTER_PARSING) return;
    this.parsedAtCollection = parsed;
    const started = performance.now();
    gc();
    this.connection.console.info(`Tributary: collected the garbage of parsing ${parsed} files in ${Math.round(performance.now() - started)} ms.`);
  }

  private async foldersChanged(added: string[], removed: string[]): Promise<void> {
    for (const folder of removed) {
      const problem = this.configProblems.get(path.resolve(folder));
      if (problem !== undefined) this.sendDiagnostics(problem, []);
      this.configProblems.delete(path.resolve(folder));
      this.announcedCopies.delete(path.resolve(folder));
      const project = this.projects.removeFolder(folder);
      for (const file of project?.files() ?? []) this.clearDiagnostics(file);
    }
    await this.index(added);
  }

  private documentChanged(document: TextDocument): void {
    const file = uriToPath(document.uri);
    if (!file || !isSourceFile(file)) return;
    this.openUris.set(file, document.uri);
    const text = document.getText();
    if (this.projects.reexportChanged(file, text)) this.reindexFolderOf(file);
    if (this.projects.isFlowCode(file, text) || this.projects.hasFile(file)) this.projects.setText(file, text);
    // Not a flow file: flow files may still import its constants.
    else this.projects.refresh(file, "changed");
    this.scheduleAnalysis();
  }

  private async documentClosed(document: TextDocument): Promise<void> {
    const file = uriToPath(document.uri);
    if (!file) return;
    this.openUris.delete(file);
    this.settings.forget(document.uri);
    // The disk is the truth again for a closed file.
    if (isSourceFile(file)) await this.reloadFromDisk(file, "changed");
  }

  private async filesChanged(changes: readonly { uri: string; type: FileChangeType }[]): Promise<void> {
    const changed = changes.flatMap((change) => {
      const file = uriToPath(change.uri);
      return file ? [{ file, type: change.type }] : [];
    });
    // One reading per folder, whatever it is for: its config, its copy of the analysis, or both.
    const reread = new Set<string>();
    for (const { file } of changed) {
      const configured = this.projects.foldersConfiguredBy(file);
      if (configured.length > 0) this.connection.console.info(`Tributary: ${path.basename(file)} changed; reading the configuration of ${configured.join(", ")} again.`);
      for (const folder of configured) reread.add(folder);
    }
    if (changed.some(({ file }) => MANIFEST.test(file))) for (const folder of this.packagesChanged()) reread.add(folder);
    if (reread.size > 0) void this.index([...reread]);
    // No folder is read again, yet TRB160 may have come or gone (the indexing's publication sends it otherwise).
    else if (changed.some(({ file }) => MANIFEST.test(file))) await this.publish([], "changed");
    // Where packages are and how imports resolve: every project resolves its imports again.
    const layout = changed.filter(({ file }) => WORKSPACE_LAYOUT_FILE.test(file) && !file.split(/[\\/]/).includes("node_modules"));
    for (const { file, type } of layout) this.projects.refresh(file, type === FileChangeType.Deleted ? "deleted" : type === FileChangeType.Created ? "created" : "changed");
    if (layout.length > 0) this.scheduleAnalysis();
    for (const { file, type } of changed) {
      if (!isSourceFile(file) || this.openUris.has(file)) continue;
      if (type === FileChangeType.Deleted) {
        this.projects.remove(file);
        this.projects.refresh(file, "deleted");
        this.scheduleAnalysis();
      } else await this.reloadFromDisk(file, type === FileChangeType.Created ? "created" : "changed");
    }
  }

  private async reloadFromDisk(file: string, how: "changed" | "created"): Promise<void> {
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (this.openUris.has(file)) return;
    if (text !== undefined && this.projects.reexportChanged(file, text)) this.reindexFolderOf(file);
    if (text !== undefined && this.projects.isFlowCode(file, text)) this.projects.setText(file, text);
    else {
      this.projects.remove(file);
      this.projects.refresh(file, how);
    }
    this.scheduleAnalysis();
  }

  /**
   * A package.json or lockfile changed: tributaryjs may have been installed, upgraded or removed.
   * TRB160 is decided again; returns the folders whose copy of the analysis changes (reading a
   * folder again chooses its copy again).
   */
  private packagesChanged(): string[] {
    this.packageImports.packagesChanged();
    return this.projects.folderCopies().flatMap(({ folder, copy }) => (this.copies.choose(folder).copy.key === copy.key ? [] : [folder]));
  }

  private chooseAnalysis(folder: string): AnalysisCopy {
    const { copy, note } = this.copies.choose(folder);
    const line = `Tributary: the analysis of ${folder} uses ${copy.description}${note ? ` (${note})` : ""}.`;
    // Said when a folder's choice is first made or changes, not each time its config is read again.
    if (this.announcedCopies.get(folder) !== line) this.connection.console.info(line);
    this.announcedCopies.set(folder, line);
    return copy;
  }

  private configurationChanged(pushed: unknown): void {
    this.settings.changed(pushed);
    void this.publish(
      this.projects.all().map((project) => ({ project, snapshot: project.analyze() })),
      "all",
    );
    if (this.capabilities.workspace?.codeLens?.refreshSupport) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private scheduleAnalysis(): void {
    // Until the first indexing is done, the indexing publishes everything.
    if (this.indexed) this.throttle.schedule();
  }

  private analyzeAndPublish(): void {
    try {
      // The indexing analyses whatever is pending when its folders are read.
      if (this.indexing === 0 && this.projects.hasPendingChanges()) void this.publish(this.projects.analyzeDirty(), "changed");
    } catch (error) {
      this.logError("analysis", error);
    }
  }

  /** The latest analysis of the project holding `file`, with any pending edits analysed (and published) first. */
  private async snapshotFor(file: string): Promise<AnalysisSnapshot> {
    await this.indexed;
    if (this.projects.hasPendingChanges()) this.analyzeAndPublish();
    return this.projects.projectFor(file).analyze();
  }

  private async position(params: TextDocumentPositionParams): Promise<{ file: string; offset: number; document: TextDocument; snapshot: AnalysisSnapshot; api: AnalysisApi } | undefined> {
    const file = uriToPath(params.textDocument.uri);
    if (!file) return undefined;
    const document = this.documents.get(params.textDocument.uri) ?? TextDocument.create(params.textDocument.uri, "typescript", 0, (await readFile(file, "utf8").catch(() => undefined)) ?? "");
    const snapshot = await this.snapshotFor(file);
    return { file, offset: document.offsetAt(params.position), document, snapshot, api: this.projects.apiFor(file) };
  }

  private async definition(params: TextDocumentPositionParams): Promise<Location[] | null> {
    const at = await this.position(params);
    const hit = at && at.api.nodeAt(at.snapshot, at.file, at.offset);
    if (!at || !hit) return null;
    if (hit.kind === "flow" || hit.kind === "deployment") {
      const definitions = at.api.definitionOf(at.snapshot, hit.name, hit.kind);
      return definitions.length === 0 ? null : definitions.map((d) => ({ uri: this.uriOf(d.at.file), range: d.at.loc.range }));
    }
    const node = at.snapshot.model.nodes.get(hit.nodeId);
    return node ? [{ uri: this.uriOf(node.at.file), range: node.at.loc.range }] : null;
  }

  private async graph(uri: string | undefined): Promise<GraphJson> {
    await this.indexed;
    const file = uri === undefined ? undefined : uriToPath(uri);
    const project: AnalysisProject | undefined = file ? this.projects.projectFor(file) : this.projects.first();
    if (!project) return { nodes: [], edges: [] };
    const snapshot = await this.snapshotFor(file ?? project.rootDir);
    return this.projects.apiFor(project.rootDir).toGraphJson(snapshot.model, project.rootDir);
  }

  private async graphDetails(uri: string | undefined): Promise<GraphDetailsJson> {
    await this.indexed;
    const file = uri === undefined ? undefined : uriToPath(uri);
    const project: AnalysisProject | undefined = file ? this.projects.projectFor(file) : this.projects.first();
    if (!project) return { root: "", nodes: [], edges: [], cycles: [] };
    return this.projects.apiFor(project.rootDir).toGraphDetails(await this.snapshotFor(file ?? project.rootDir), project.rootDir);
  }

  /**
   * Sends diagnostics for every file (`all`) or only those whose findings changed, open files
   * first; then those whose TRB160 came or went while their findings stayed the same.
   */
  private async publish(results: readonly ProjectAnalysis[], which: "all" | "changed"): Promise<void> {
    const published = new Set<string>();
    for (const { project, snapshot } of results) {
      const files = which === "all" ? [...new Set([...project.files(), ...snapshot.changedFiles])] : [...snapshot.changedFiles];
      files.sort((a, b) => Number(this.openUris.has(b)) - Number(this.openUris.has(a)));
      for (const file of files) {
        await this.publishFile(file, snapshot.findings.get(file) ?? [], project);
        published.add(file);
      }
    }
    for (const file of this.packageImports.stale()) {
      if (published.has(file)) continue;
      const project = this.projects.projectFor(file);
      await this.publishFile(file, project.hasFile(file) ? project.getFindings(file) : [], project);
    }
  }

  /** One file's diagnostics: its findings as its folder's config says, and TRB160 when its import resolves nothing. */
  private async publishFile(file: string, findings: readonly Finding[], project: AnalysisProject): Promise<void> {
    const settings = await this.settings.get(this.openUris.get(file) ?? pathToUri(project.rootDir));
    const unresolved = settings.diagnostics.enable ? this.packageImports.diagnosticFor(file) : undefined;
    this.packageImports.markSent(file, unresolved);
    this.sendDiagnostics(file, settings.diagnostics.enable ? [...(unresolved ? [unresolved] : []), ...this.projects.configured(project, findings).map(toDiagnostic)] : []);
  }

  /** A file no project checks any more: nothing on it, TRB160 included. */
  private clearDiagnostics(file: string): void {
    this.packageImports.markSent(file, undefined);
    this.sendDiagnostics(file, []);
  }

  /** A folder whose file started or stopped re-exporting "tributaryjs": which files are flow code is decided again. */
  private reindexFolderOf(file: string): void {
    const root = this.projects.projectFor(file).rootDir;
    if (this.projects.configs().some((c) => c.root === root)) void this.index([root]);
  }

  /**
   * A bad config is one error diagnostic on its file and one warning in the log; the folder is then
   * checked as if it had no config. A config fixed since clears its diagnostic.
   */
  private reportConfigs(folders: readonly string[]): void {
    const roots = new Set(folders.map((f) => path.resolve(f)));
    for (const { root, config } of this.projects.configs()) {
      if (!roots.has(root)) continue;
      const before = this.configProblems.get(root);
      if (config.kind === "invalid") {
        const message = `Bad Tributary configuration: ${config.message} Until it is fixed, ${root} is checked as if it had no configuration.`;
        this.connection.console.warn(`Tributary: ${config.file}: ${message}`);
        this.configProblems.set(root, config.file);
        if (before !== undefined && before !== config.file) this.sendDiagnostics(before, []);
        this.sendDiagnostics(config.file, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: DiagnosticSeverity.Error, source: "tributary", code: "config", message }]);
      } else if (before !== undefined) {
        this.configProblems.delete(root);
        this.sendDiagnostics(before, []);
      }
    }
  }

  private sendDiagnostics(file: string, diagnostics: Diagnostic[]): void {
    const uri = this.uriOf(file);
    const version = this.documents.get(uri)?.version;
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics }).catch((error: unknown) => this.logError("publishDiagnostics", error));
  }

  private uriOf(file: string): string {
    return this.openUris.get(file) ?? pathToUri(file);
  }

  /** Wraps a handler: errors are logged to the client's console and answered with `fallback`. */
  private guard<P extends unknown[], R>(name: string, fallback: R, handler: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
    return async (...args: P) => {
      try {
        return await handler(...args);
      } catch (error) {
        this.logError(name, error);
        return fallback;
      }
    };
  }

  private logError(name: string, error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    try {
      this.connection.console.error(`Tributary: ${name} failed: ${text}`);
    } catch {
      // The connection itself is gone; there is nobody left to tell.
    }
  }
}
