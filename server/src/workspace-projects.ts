import { readFile } from "node:fs/promises";
import path from "node:path";
import { nodeFileHost, type FileHost } from "./analysis/file-host.js";
import { createAnalysisProject, findFlowFiles, type AnalysisProject, type AnalysisSnapshot } from "./analysis/index.js";

/** Analysis results of one project, ready to publish. */
export interface ProjectAnalysis {
  project: AnalysisProject;
  snapshot: AnalysisSnapshot;
}

/**
 * One analysis project per workspace folder (a file belongs to the innermost folder holding it),
 * plus one for flow files opened outside every folder. Texts of open documents override the disk:
 * the caller says which files are open.
 */
export class WorkspaceProjects {
  private readonly folders = new Map<string, AnalysisProject>();
  private loose: AnalysisProject | undefined;
  private readonly dirty = new Set<AnalysisProject>();
  /** What projects read beyond their own files (a constants file they import): the editor's text first. */
  private readonly host: FileHost;

  constructor(
    private readonly isOpen: (file: string) => boolean,
    openText: (file: string) => string | undefined,
  ) {
    this.host = {
      fileExists: (file) => openText(file) !== undefined || nodeFileHost.fileExists(file),
      readFile: (file) => openText(file) ?? nodeFileHost.readFile(file),
      directoryExists: nodeFileHost.directoryExists,
    };
  }

  addFolder(root: string): AnalysisProject {
    const key = path.resolve(root);
    let project = this.folders.get(key);
    if (!project) this.folders.set(key, (project = createAnalysisProject({ rootDir: key, fileHost: this.host })));
    return project;
  }

  removeFolder(root: string): AnalysisProject | undefined {
    const key = path.resolve(root);
    const project = this.folders.get(key);
    this.folders.delete(key);
    if (project) this.dirty.delete(project);
    return project;
  }

  all(): AnalysisProject[] {
    return [...this.folders.values(), ...(this.loose ? [this.loose] : [])];
  }

  first(): AnalysisProject | undefined {
    return this.all()[0];
  }

  /** The project a file belongs to: its innermost workspace folder, else the one for loose files. */
  projectFor(file: string): AnalysisProject {
    let best: string | undefined;
    for (const root of this.folders.keys()) {
      if ((file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) && (best === undefined || root.length > best.length)) best = root;
    }
    if (best !== undefined) return this.folders.get(best)!;
    return (this.loose ??= createAnalysisProject({ rootDir: path.parse(file).root, tsconfig: false, fileHost: this.host }));
  }

  /**
   * Reads every flow file of a folder from disk (open documents keep their editor text). Files
   * are read in parallel; nothing is analysed until {@link analyzeDirty}.
   */
  async loadFolder(root: string): Promise<void> {
    const project = this.addFolder(root);
    const files = await findFlowFiles([project.rootDir]).catch(() => []);
    const texts = await Promise.all(files.map((f) => readFile(f, "utf8").catch(() => undefined)));
    files.forEach((file, i) => {
      const text = texts[i];
      if (text !== undefined && !this.isOpen(file)) this.setText(file, text);
    });
  }

  setText(file: string, text: string): void {
    const project = this.projectFor(file);
    project.setFileText(file, text);
    this.dirty.add(project);
  }

  remove(file: string): void {
    const project = this.projectFor(file);
    if (!project.hasFile(file)) return;
    project.removeFile(file);
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
