import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { commonDirectory, isInsideDir } from "../../../runtime/src/file-paths.js";
import { createAnalysisProject, type AnalysisProject, type AnalysisProjectOptions } from "./analysis-project.js";
import { nodeFileHost, type FileHost } from "./file-host.js";
import { workspaceModuleResolver, type ModuleResolver } from "./module-resolver.js";
import { isSourceFile, mentionsTributary } from "./source-files.js";
import { TributaryFacades } from "./tributary-facades.js";
import type { WorkspacePackage } from "./workspace-packages.js";

const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", ".tributary", ".git", "out", "coverage"]);
const READ_CONCURRENCY = 16;

/** How {@link discoverFlowFiles} chooses. */
export interface FindFlowFilesOptions {
  /**
   * Whether a file found by walking `root` (one of the paths given, when it is a folder) is
   * checked: the project config's include/exclude. Files given by name are always kept.
   * @default every file
   */
  accepts?: (file: string, root: string) => boolean;
  /** Where imports of re-exporting modules are resolved from. @default the directory the paths have in common */
  rootDir?: string;
  /** @see AnalysisProjectOptions.tsconfig */
  tsconfig?: string | false;
  fileHost?: FileHost;
  /** The resolver facades are resolved with. @default one made from `rootDir`, `tsconfig` and `fileHost` when a facade is found */
  moduleResolver?: ModuleResolver;
  /** Told every file read while choosing (the candidates' paths and texts): what the choice depends on. */
  inputs?: InputDigest;
  /**
   * How a candidate's text is read (the check service answers from memory what did not change on disk).
   * @default the file read from disk, "" when it cannot be
   */
  readText?: (file: string) => Promise<string>;
}

/**
 * A digest of the files a discovery read, whatever the order it read them in: equal digests mean
 * the same files were found with the same texts (`result-cache.ts` compares them).
 */
export class InputDigest {
  private readonly texts = new Map<string, string>();

  add(file: string, text: string): void {
    this.texts.set(file, createHash("sha256").update(text).digest("base64"));
  }

  digest(): string {
    const hash = createHash("sha256");
    for (const file of [...this.texts.keys()].sort()) hash.update(`${file}\0${this.texts.get(file)!}\0`);
    return hash.digest("hex");
  }
}

/**
 * The TS/JS files under `paths` that import "tributaryjs" (a text test, no parsing), or a module
 * of the user's that re-exports it (see {@link TributaryFacades}), skipping node_modules, dist,
 * .tributary and hidden directories. A file named directly is always kept.
 */
export async function findFlowFiles(paths: readonly string[], options: FindFlowFilesOptions = {}): Promise<string[]> {
  return (await discoverFlowFiles(paths, options)).files;
}

/** {@link findFlowFiles}, with the re-exporting modules it found (the language server keeps them to test edited files). */
export async function discoverFlowFiles(paths: readonly string[], options: FindFlowFilesOptions = {}): Promise<{ files: string[]; facades: TributaryFacades }> {
  const candidates: string[] = [];
  const named = new Set<string>();
  for (const p of paths) {
    const full = path.resolve(p);
    const info = await stat(full);
    if (info.isDirectory()) await walk(full, candidates, options.accepts);
    else if (isSourceFile(full)) named.add(full);
  }
  const rootDir = options.rootDir ?? (await commonRoot(paths.length > 0 ? paths : ["."]));
  let resolver = options.moduleResolver;
  const facades = new TributaryFacades(() => (resolver ??= workspaceModuleResolver(rootDir, options.tsconfig, options.fileHost ?? nodeFileHost)));
  const found = new Set(named);
  const others: string[] = [];
  const exporting: [string, string][] = [];
  const inputs = options.inputs;
  const read = options.readText ?? readTextFile;
  await forEachText([...named, ...candidates], read, (file, text) => {
    inputs?.add(file, text);
    if (named.has(file) || mentionsTributary(text)) {
      found.add(file);
      if (mentionsTributary(text)) exporting.push([file, text]);
    } else others.push(file);
  });
  // Facades of facades: until nothing changes (each pass only flips a file to a facade).
  while (exporting.some(([file, text]) => facades.update(file, text)));
  // Only a workspace with a re-exporting module reads its other files again.
  for (let pending = others; facades.size > 0 && pending.length > 0; ) {
    const next: string[] = [];
    let more = false;
    await forEachText(pending, read, (file, text) => {
      if (!facades.importedBy(file, text)) next.push(file);
      else {
        found.add(file);
        if (facades.update(file, text)) more = true;
      }
    });
    pending = more ? next : [];
  }
  return { files: [...found].sort(), facades };
}

function readTextFile(file: string): Promise<string> {
  return readFile(file, "utf8").catch(() => "");
}

async function forEachText(files: readonly string[], read: (file: string) => Promise<string>, each: (file: string, text: string) => void): Promise<void> {
  for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
    const batch = files.slice(i, i + READ_CONCURRENCY);
    const texts = await Promise.all(batch.map(read));
    batch.forEach((f, j) => each(f, texts[j]!));
  }
}

async function walk(dir: string, into: string[], accepts: FindFlowFilesOptions["accepts"]): Promise<void> {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith(".")) stack.push(full);
      } else if (entry.isFile() && isSourceFile(full) && (accepts?.(full, dir) ?? true)) {
        into.push(full);
      }
    }
  }
}

export type LoadWorkspaceOptions = Partial<AnalysisProjectOptions> &
  Pick<FindFlowFilesOptions, "accepts"> & {
    /** The flow files, when the caller found them already ({@link discoverFlowFiles}). @default those found under `paths` */
    files?: readonly string[];
    /** The other packages' flow files ({@link findContextFiles}), when the caller found them already. */
    contextFiles?: readonly string[];
  };

/**
 * A project holding every flow file under `paths`. `rootDir` defaults to the one directory given,
 * or to the directory the paths have in common; its tsconfig.json is used when there is one.
 *
 * @example
 * const project = await loadWorkspace(["flows/"]);
 * for (const [file, findings] of project.getFindings()) …
 */
export async function loadWorkspace(paths: readonly string[], options: LoadWorkspaceOptions = {}): Promise<AnalysisProject> {
  const roots = paths.length > 0 ? paths : ["."];
  const rootDir = options.rootDir ?? (await commonRoot(roots));
  const files = options.files ?? (await findFlowFiles(roots, { rootDir, tsconfig: options.tsconfig, fileHost: options.fileHost, accepts: options.accepts, moduleResolver: options.moduleResolver }));
  const project = createAnalysisProject({ rootDir, tsconfig: options.tsconfig, fileHost: options.fileHost, summaryCache: options.summaryCache, moduleResolver: options.moduleResolver, factsCache: options.factsCache });
  const texts = await Promise.all(files.map((f) => readFile(f, "utf8")));
  await options.summaryCache?.load(files.map((file, i) => ({ file, text: texts[i]! })));
  files.forEach((f, i) => project.setFileText(f, texts[i]!));
  const context = options.contextFiles ?? (await findContextFiles(rootDir, project.workspacePackages?.() ?? [], { tsconfig: options.tsconfig, fileHost: options.fileHost, accepts: options.accepts, moduleResolver: options.moduleResolver }));
  if (context.length > 0) project.setContextFiles?.(context);
  return project;
}

/**
 * One package of a monorepo checked (or a folder in it): the flow files of the other packages
 * name its deployments and flows too. A folder in no package of the workspace reads no more.
 */
export async function findContextFiles(rootDir: string, packages: readonly WorkspacePackage[], options: Omit<FindFlowFilesOptions, "rootDir"> = {}): Promise<string[]> {
  const inPackage = packages.some((pkg) => isInsideDir(rootDir, pkg.dir));
  const siblings = inPackage ? packages.filter((pkg) => !isInsideDir(rootDir, pkg.dir) && !isInsideDir(pkg.dir, rootDir)).map((pkg) => pkg.dir) : [];
  return siblings.length > 0 ? findFlowFiles(siblings, { ...options, rootDir }) : [];
}

async function commonRoot(paths: readonly string[]): Promise<string> {
  const dirs = await Promise.all(
    paths.map(async (p) => {
      const full = path.resolve(p);
      return (await stat(full)).isDirectory() ? full : path.dirname(full);
    }),
  );
  return commonDirectory(dirs);
}
