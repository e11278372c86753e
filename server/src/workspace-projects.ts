import { readFile } from "node:fs/promises";
import path from "node:path";
import type { AnalysisApi } from "./analysis/analysis-api.js";
import { nodeFileHost, type FileHost } from "./analysis/file-host.js";
import type { AnalysisProject, AnalysisSnapshot } from "./analysis/index.js";
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
  /** The copy of the analysis a workspace folder uses. */
  copyFor: (folder: string) => AnalysisCopy;
  bundled: AnalysisCopy;
  /** Told every flow file's text as the projects get it, and `undefined` when a file leaves. */
  onFlowText: (file: string, text: string | undefined) => void;
}

/** A project and the copy of the analysis that built it: queries on its snapshots go to the same copy. */
interface ProjectEntry {
  project: AnalysisProject;
  copy: AnalysisCopy;
}

/**
 * One analysis project per workspace folder (a file belongs to the innermost folder holding it),
 * plus one for flow files opened outside every folder. Texts of open documents override the disk:
 * the caller says which files are open. A folder's project is built by the copy of the analysis
 * `copyFor` chooses for it (the workspace's tributaryjs or the bundled one); loose files use the bundled copy.
 */
export class WorkspaceProjects {
  private readonly folders = new Map<string, ProjectEntry>();
  private loose: ProjectEntry | undefined;
  private readonly dirty = new Set<AnalysisProject>();
  /** What projects read beyond their own files (a constants file they import): the editor's text first. */
  private readonly host: FileHost;

  private readonly isOpen: (file: string) => boolean;
  private readonly copyFor: (folder: string) => AnalysisCopy;
  private readonly bundled: AnalysisCopy;
  private readonly onFlowText: (file: string, text: string | undefined) => void;

  constructor(options: WorkspaceProjectsOptions) {
    ({ isOpen: this.isOpen, copyFor: this.copyFor, bundled: this.bundled, onFlowText: this.onFlowText } = options);
    const openText = options.openText;
    this.host = {
      fileExists: (file) => openText(file) !== undefined || nodeFileHost.fileExists(file),
      readFile: (file) => openText(file) ?? nodeFileHost.readFile(file),
      directoryExists: nodeFileHost.directoryExists,
    };
  }

  addFolder(root: string): AnalysisProject {
    const key = path.resolve(root);
    let entry = this.folders.get(key);
    if (!entry) {
      const copy = this.copyFor(key);
      this.folders.set(key, (entry = { project: copy.api.createAnalysisProject({ rootDir: key, fileHost: this.host }), copy }));
    }
    return entry.project;
  }

  removeFolder(root: string): AnalysisProject | undefined {
    const key = path.resolve(root);
    const entry = this.folders.get(key);
    this.folders.delete(key);
    if (entry) this.dirty.delete(entry.project);
    return entry?.project;
  }

  /** The workspace folders and the copy of the analysis each one uses. */
  folderCopies(): { folder: string; copy: AnalysisCopy }[] {
    return [...this.folders].map(([folder, entry]) => ({ folder, copy: entry.copy }));
  }

  all(): AnalysisProject[] {
    return this.entries().map((e) => e.project);
  }

  /** The analysis functions that go with the project of `file`. */
  apiFor(file: string): AnalysisApi {
    return this.entryFor(file).copy.api;
  }

  private entries(): ProjectEntry[] {
    return [...this.folders.values(), ...(this.loose ? [this.loose] : [])];
  }

  first(): AnalysisProject | undefined {
    return this.all()[0];
  }

  /** The project a file belongs to: its innermost workspace folder, else the one for loose files. */
  projectFor(file: string): AnalysisProject {
    return this.entryFor(file).project;
  }

  private entryFor(file: string): ProjectEntry {
    let best: string | undefined;
    for (const root of this.folders.keys()) {
      if ((file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) && (best === undefined || root.length > best.length)) best = root;
    }
    if (best !== undefined) return this.folders.get(best)!;
    return (this.loose ??= { project: this.bundled.api.createAnalysisProject({ rootDir: path.parse(file).root, tsconfig: false, fileHost: this.host }), copy: this.bundled });
  }

  /**
   * Reads every flow file of a folder from disk (open documents keep their editor text). Files
   * are read in parallel; nothing is analysed until {@link analyzeDirty}.
   */
  async loadFolder(root: string): Promise<void> {
    const project = this.addFolder(root);
    const files = await this.apiFor(project.rootDir).findFlowFiles([project.rootDir]).catch(() => []);
    const texts = await Promise.all(files.map((f) => readFile(f, "utf8").catch(() => undefined)));
    files.forEach((file, i) => {
      const text = texts[i];
      if (text !== undefined && !this.isOpen(file)) this.setText(file, text);
    });
  }

  setText(file: string, text: string): void {
    const project = this.projectFor(file);
    project.setFileText(file, text);
    this.onFlowText(file, text);
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

  /** Analyses the projects that saw changes; each result lists the files whose findings changed. */
  analyzeDirty(): ProjectAnalysis[] {
    const projects = [...this.dirty];
    this.dirty.clear();
    return projects.map((project) => ({ project, snapshot: project.analyze() }));
  }
}
