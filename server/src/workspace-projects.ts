import { readFile } from "node:fs/promises";
import path from "node:path";
import { isInsideDir } from "../../runtime/src/file-paths.js";
import type { AnalysisApi } from "./analysis/analysis-api.js";
import { nodeFileHost, type FileHost } from "./analysis/file-host.js";
import type { AnalysisProject, AnalysisSnapshot, ConfigLookup, ConfigRules, Finding, SummaryCache, TributaryFacades } from "./analysis/index.js";
import { mentionsTributary } from "./analysis/source-files.js";
import type { AnalysisCopy } from "./analysis-copies.js";

/** Analysis results of one project, ready to publish. */
export interface ProjectAnalysis {
  project: AnalysisProject;
  snapshot: AnalysisSnapshot;
}

export interface WorkspaceProjectsOptions {
  /** Whether the editor has `file` open (its text then comes from the editor, not the disk). */
  isOpen: (file: string) => boolean;
  /** The editor's text of an open file. */
  openText: (file: string) => string | undefined;
  /** The files the editor has open. */
  openFiles: () => Iterable<string>;
  /** The copy of the analysis a workspace folder uses; asked again each time the folder is read. */
  copyFor: (folder: string) => AnalysisCopy;
  bundled: AnalysisCopy;
  /** Told every flow file's text as the projects get it, and `undefined` when a file leaves. */
  onFlowText: (file: string, text: string | undefined) => void;
  /**
   * Whether a folder may read and write its summary cache (`.tributary/cache/`): only in a trusted
   * workspace, so that opening an untrusted one in Restricted Mode writes nothing into it.
   * @default never
   */
  cacheAllowed?: () => boolean;
  /** Told how many summaries a folder's cache wrote, when it wrote any. */
  onCacheWritten?: (root: string, entries: number) => void;
}

/** A project and the copy of the analysis that built it: queries on its snapshots go to the same copy. */
interface ProjectEntry {
  project: AnalysisProject;
  copy: AnalysisCopy;
}

/**
 * A workspace folder: its project and copy, its config as that copy reads it (the copy's schema,
 * the copy's globs), and the modules in it that re-export "tributaryjs".
 */
interface Folder extends ProjectEntry {
  config: ConfigLookup;
  rules: ConfigRules;
  facades: TributaryFacades | undefined;
  /** Where a config of this folder may live: tributary.config.json and package.json from the folder up. */
  configFiles: ReadonlySet<string>;
  /**
   * The folder's summary cache (`.tributary/cache/`, shared with `tributary check`), made by its copy
   * when the copy has one: loaded with the texts read from disk as the folder is read, flushed after
   * each analysis. Editor texts are never loaded, so never written: a saved file is written by the
   * next check or the next reading of the folder.
   */
  cache: SummaryCache | undefined;
  /** The folder's import resolutions kept between starts (trusted workspaces only, as the summaries), saved after each analysis. */
  resolutions: { save(): Promise<boolean> } | undefined;
  /** The folder's resolved facts kept between starts (trusted workspaces only), saved after its first analysis. */
  facts: { save(): Promise<boolean> } | undefined;
}

/**
 * One analysis project per workspace folder (a file belongs to the innermost folder holding it),
 * plus one for flow files opened outside every folder. Texts of open documents override the disk:
 * the caller says which files are open. A folder's project is built by the copy of the analysis
 * `copyFor` chooses for it (the workspace's tributaryjs or the bundled one), and the same copy
 * reads its config and finds its flow files; loose files use the bundled copy and no config.
 */
export class WorkspaceProjects {
  private readonly folders = new Map<string, Folder>();
  private loose: ProjectEntry | undefined;
  private readonly dirty = new Set<AnalysisProject>();
  /** What projects read beyond their own files (a constants file they import): the editor's text first. */
  private readonly host: FileHost;

  private readonly isOpen: (file: string) => boolean;
  private readonly openText: (file: string) => string | undefined;
  private readonly openFiles: () => Iterable<string>;
  private readonly copyFor: (folder: string) => AnalysisCopy;
  private readonly bundled: AnalysisCopy;
  private readonly onFlowText: (file: string, text: string | undefined) => void;
  private readonly cacheAllowed: () => boolean;
  private readonly flushing = new Set<Promise<void>>();
  private readonly onCacheWritten: (root: string, entries: number) => void;

  constructor(options: WorkspaceProjectsOptions) {
    this.cacheAllowed = options.cacheAllowed ?? (() => false);
    this.onCacheWritten = options.onCacheWritten ?? (() => undefined);
    ({ isOpen: this.isOpen, openText: this.openText, openFiles: this.openFiles, copyFor: this.copyFor, bundled: this.bundled, onFlowText: this.onFlowText } = options);
    const openText = options.openText;
    this.host = {
      fileExists: (file) => openText(file) !== undefined || nodeFileHost.fileExists(file),
      readFile: (file) => openText(file) ?? nodeFileHost.readFile(file),
      directoryExists: nodeFileHost.directoryExists,
      subdirectories: nodeFileHost.subdirectories,
      realpath: nodeFileHost.realpath,
    };
  }

  addFolder(root: string): AnalysisProject {
    const key = path.resolve(root);
    let folder = this.folders.get(key);
    if (!folder) this.folders.set(key, (folder = this.newFolder(key)));
    return folder.project;
  }

  removeFolder(root: string): AnalysisProject | undefined {
    const key = path.resolve(root);
    const project = this.folders.get(key)?.project;
    this.folders.delete(key);
    if (project) {
      this.dirty.delete(project);
      for (const file of project.files()) this.onFlowText(file, undefined);
    }
    return project;
  }

  /** The workspace folders and the copy of the analysis each one uses. */
  folderCopies(): { folder: string; copy: AnalysisCopy }[] {
    return [...this.folders].map(([folder, entry]) => ({ folder, copy: entry.copy }));
  }

  all(): AnalysisProject[] {
    return [...[...this.folders.values()].map((f) => f.project), ...(this.loose ? [this.loose.project] : [])];
  }

  /** The analysis functions that go with the project of `file`. */
  apiFor(file: string): AnalysisApi {
    return this.entryFor(file).copy.api;
  }

  first(): AnalysisProject | undefined {
    return this.all()[0];
  }

  /** The project a file belongs to: its innermost workspace folder, else the one for loose files. */
  projectFor(file: string): AnalysisProject {
    return this.entryFor(file).project;
  }

  /** The findings of a project's file as its folder's config says: severities mapped, `off` dropped. */
  configured(project: AnalysisProject, findings: readonly Finding[]): Finding[] {
    const folder = this.folders.get(project.rootDir);
    return folder ? folder.rules.apply(findings) : [...findings];
  }

  /** The config each folder read at its last load (`invalid` ones are shown to the user). */
  configs(): { root: string; config: ConfigLookup }[] {
    return [...this.folders].map(([root, f]) => ({ root, config: f.config }));
  }

  /** The folders whose config may change when `file` changes (a tributary.config.json or package.json at or above them). */
  foldersConfiguredBy(file: string): string[] {
    return [...this.folders].flatMap(([root, f]) => (f.configFiles.has(file) ? [root] : []));
  }

  /**
   * Whether a text is flow code its folder checks: it imports "tributaryjs" or a module of the
   * folder that re-exports it, and the folder's include/exclude globs keep it.
   */
  isFlowCode(file: string, text: string): boolean {
    const folder = this.folderOf(file);
    if (folder && !folder.rules.accepts(file, folder.project.rootDir)) return false;
    return mentionsTributary(text) || (folder?.facades?.importedBy(file, text) ?? false);
  }

  /**
   * Records a new text of a file: true when the file started or stopped re-exporting
   * "tributaryjs", so that which files are flow code may have changed (the folder is read again).
   */
  reexportChanged(file: string, text: string): boolean {
    const facades = this.folderOf(file)?.facades;
    // Only a file that imports the package or a re-export of it can be one (no parse for the rest).
    if (!facades || (!facades.has(file) && !mentionsTributary(text) && !facades.importedBy(file, text))) return false;
    return facades.update(file, text);
  }

  /**
   * Reads a folder afresh into a new project: the copy of the analysis it uses (chosen again),
   * its config, then every flow file it keeps (open documents keep their editor text). Files are
   * read in parallel; nothing is analysed until {@link analyzeDirty}. Returns the files of the
   * project it replaced.
   */
  async loadFolder(root: string): Promise<string[]> {
    const key = path.resolve(root);
    const previous = this.folders.get(key)?.project;
    const folder = this.newFolder(key);
    this.folders.set(key, folder);
    if (previous) this.dirty.delete(previous);
    this.dirty.add(folder.project);
    const found = await folder.copy.api.discoverFlowFiles([key], { rootDir: key, fileHost: this.host, accepts: (file, under) => folder.rules.accepts(file, under) }).catch(() => undefined);
    if (this.folders.get(key) !== folder) return [];
    folder.facades = found?.facades;
    const files = found?.files ?? [];
    const texts = await Promise.all(files.map((f) => readFile(f, "utf8").catch(() => undefined)));
    await folder.cache?.load(files.flatMap((file, i) => (texts[i] !== undefined && !this.isOpen(file) ? [{ file, text: texts[i] }] : [])));
    if (this.folders.get(key) !== folder) return [];
    files.forEach((file, i) => {
      const text = texts[i];
      if (text !== undefined && !this.isOpen(file)) this.put(folder.project, file, text);
    });
    for (const file of this.openFiles()) {
      const text = this.openText(file);
      if (text !== undefined && this.folderOf(file) === folder && this.isFlowCode(file, text)) this.put(folder.project, file, text);
    }
    const replaced = previous?.files() ?? [];
    for (const file of replaced) if (!folder.project.hasFile(file)) this.onFlowText(file, undefined);
    return replaced;
  }

  setText(file: string, text: string): void {
    const project = this.projectFor(file);
    this.put(project, file, text);
    this.dirty.add(project);
  }

  remove(file: string): void {
    const project = this.projectFor(file);
    if (!project.hasFile(file)) return;
    project.removeFile(file);
    this.onFlowText(file, undefined);
    this.dirty.add(project);
  }

  /** A file that is not a flow file changed, came or went: projects that import it read it again. */
  refresh(file: string, how: "changed" | "created" | "deleted"): void {
    for (const project of this.all()) {
      project.refreshFile(file, how);
      this.dirty.add(project);
    }
  }

  hasFile(file: string): boolean {
    return this.projectFor(file).hasFile(file);
  }

  hasPendingChanges(): boolean {
    return this.dirty.size > 0;
  }

  private put(project: AnalysisProject, file: string, text: string): void {
    project.setFileText(file, text);
    this.onFlowText(file, text);
  }

  private entryFor(file: string): ProjectEntry {
    return this.folderOf(file) ?? (this.loose ??= { project: this.bundled.api.createAnalysisProject({ rootDir: path.parse(file).root, tsconfig: false, fileHost: this.host }), copy: this.bundled });
  }

  private folderOf(file: string): Folder | undefined {
    let best: string | undefined;
    for (const root of this.folders.keys()) {
      if (isInsideDir(file, root) && (best === undefined || root.length > best.length)) best = root;
    }
    return best === undefined ? undefined : this.folders.get(best);
  }

  private newFolder(root: string): Folder {
    const copy = this.copyFor(root);
    const { api } = copy;
    const config = api.findProjectConfig(root);
    const rules = config.kind === "found" ? new api.ConfigRules(config.dir, config.config) : api.ConfigRules.none;
    const cache = this.cacheAllowed() ? api.openSummaryCache?.(root) : undefined;
    const resolutions = this.cacheAllowed() ? api.openResolutionCache?.(root, this.host) : undefined;
    // Stored facts are checked against the resolver the resolution cache seeded: without it, none are kept.
    const facts = resolutions ? api.openFactsCache?.(root) : undefined;
    const project = api.createAnalysisProject({ rootDir: root, fileHost: this.host, summaryCache: cache, moduleResolver: resolutions?.resolver, factsCache: facts });
    return { project, copy, config, rules, facades: undefined, configFiles: new Set(api.configFilesAbove(root)), cache, resolutions, facts };
  }

  /** Resolves once the summary caches have written what the analyses so far parsed (shutdown waits for it). */
  async settle(): Promise<void> {
    while (this.flushing.size > 0) await Promise.all([...this.flushing]);
  }

  /** Analyses the projects that saw changes; each result lists the files whose findings changed. */
  analyzeDirty(): ProjectAnalysis[] {
    const projects = [...this.dirty];
    this.dirty.clear();
    return projects.map((project) => {
      const snapshot = project.analyze();
      // What the first analysis parsed goes to disk in the background; flush never throws.
      const folder = this.folders.get(project.rootDir);
      const cache = folder?.cache;
      if (cache) {
        const flushing = Promise.all([cache.flush(), folder.resolutions?.save(), folder.facts?.save()]).then(([written]) => {
          if (typeof written === "number" && written > 0) this.onCacheWritten(project.rootDir, written);
        });
        this.flushing.add(flushing);
        void flushing.finally(() => this.flushing.delete(flushing));
      }
      return { project, snapshot };
    });
  }
}
