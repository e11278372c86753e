import path from "node:path";
import { isInsideDir } from "../../../runtime/src/file-paths.js";
import type { FileHost } from "./file-host.js";
import type { ResolutionHost, ResolvedModule } from "./parser.js";
import { parser, type Parser } from "./load-parser.js";
import { TRIBUTARY_MODULE } from "./tributary-module.js";
import { packageNameOf, readWorkspaceLayout, sourceOfOutput, type WorkspaceLayout } from "./workspace-packages.js";

export type ModuleTarget = { kind: "tributary" } | { kind: "file"; file: string } | { kind: "external"; specifier: string };

/**
 * What a resolver learned, to start another from (`resolution-cache.ts` keeps it between checks,
 * with the file-system answers it rests on): the workspace layout and each resolution by folder
 * and specifier.
 */
export interface ResolverState {
  layout: WorkspaceLayout | undefined;
  resolutions: [key: string, target: ModuleTarget][];
}

/**
 * Resolves import specifiers to files with `ts.resolveModuleName`, honouring the workspace
 * tsconfig (`paths`, `baseUrl`, module resolution), with a cache per directory and specifier.
 * "tributaryjs" itself is never resolved: it is the API being analysed, wherever it lives.
 *
 * Packages of the workspace ({@link readWorkspaceLayout}) are followed into their sources, as
 * TypeScript follows them: through the node_modules links a package manager made (real paths),
 * and where there is no link (node_modules absent), as if the package were linked from the
 * workspace's node_modules; so `exports` (subpaths and conditions), `types` and `main` apply. A
 * package whose entry is unbuilt output of a TypeScript project (`dist/index.d.ts` of `src/`) is
 * read from the source file it is built from. Nothing under node_modules is analysed.
 */
export class ModuleResolver {
  private readonly cache = new Map<string, ModuleTarget>();
  /** The compiler's resolution, made when an import is first resolved (not before: a warm check may need none). */
  private tsResolution: ReturnType<Parser["createTsResolution"]> | undefined;
  private readonly host: ResolutionHost;
  private layoutRead: WorkspaceLayout | undefined;
  private realRoot: string | undefined;
  private learned = false;
  /** Told when the resolver forgets everything (`resolution-cache.ts` forgets the answers it recorded before). */
  onClear: (() => void) | undefined;

  /** @param seed what a resolver of the same workspace learned, still true of the file system */
  constructor(
    private readonly rootDir: string,
    private readonly tsconfig: string | undefined,
    private readonly fileHost: FileHost,
    seed?: ResolverState,
  ) {
    if (seed) {
      this.layoutRead = seed.layout;
      for (const [key, target] of seed.resolutions) this.cache.set(key, target);
    }
    this.host = {
      fileExists: (file) => this.fileExists(file) || this.linked(file, (f) => this.fileExists(f)) === true,
      readFile: (file) => fileHost.readFile(file) ?? this.linked(file, (f) => fileHost.readFile(f)),
      directoryExists: fileHost.directoryExists ? (dir) => this.directoryExists(dir) || this.linked(dir, (d) => this.directoryExists(d)) === true : undefined,
      realpath: (file) => this.realpath(file),
    };
  }

  resolve(specifier: string, fromFile: string): ModuleTarget {
    if (specifier === TRIBUTARY_MODULE) return { kind: "tributary" };
    const key = `${path.dirname(fromFile)}\0${specifier}`;
    let target = this.cache.get(key);
    if (target === undefined) {
      target = this.resolveUncached(specifier, fromFile);
      this.cache.set(key, target);
      this.learned = true;
    }
    return target;
  }

  /** Where an import resolves when this resolver knows it already (its seed, or asked before); undefined when it would have to look. */
  known(specifier: string, fromFile: string): ModuleTarget | undefined {
    if (specifier === TRIBUTARY_MODULE) return { kind: "tributary" };
    return this.cache.get(`${path.dirname(fromFile)}\0${specifier}`);
  }

  /** The workspace's packages and project references, read once until {@link clear}. */
  layout(): WorkspaceLayout {
    if (this.layoutRead === undefined) {
      this.layoutRead = readWorkspaceLayout(this.rootDir, this.tsconfig, this.fileHost);
      this.learned = true;
    }
    return this.layoutRead;
  }

  /** Forget every resolution: files were added or removed, or a package.json or tsconfig changed. */
  clear(): void {
    this.cache.clear();
    this.layoutRead = undefined;
    this.tsResolution?.reset();
    this.learned = true;
    this.onClear?.();
  }

  /** Whether it resolved or read anything its seed did not hold. */
  get hasLearned(): boolean {
    return this.learned;
  }

  /** What it knows now, to seed another resolver of this workspace (on the same file system). */
  state(): ResolverState {
    return { layout: this.layoutRead, resolutions: [...this.cache] };
  }

  private compiler(): ReturnType<Parser["createTsResolution"]> {
    return (this.tsResolution ??= parser().createTsResolution(this.rootDir, this.tsconfig, this.host, this.fileHost));
  }

  private resolveUncached(specifier: string, fromFile: string): ModuleTarget {
    let resolved = this.compiler().resolve(specifier, fromFile, false);
    // Extensionless relative imports fail under NodeNext; a user still means the file next door.
    if (!resolved && specifier.startsWith(".")) resolved = this.compiler().resolve(specifier, fromFile, true);
    let target = this.targetOf(specifier, resolved);
    // A package of the workspace under a tsconfig whose resolution ignores `exports` (node10,
    // classic, or a solution tsconfig with no options): it is still the package the user means.
    const name = packageNameOf(specifier);
    if (target.kind === "external" && name !== undefined && this.layout().packages.has(name)) {
      target = this.targetOf(specifier, this.compiler().resolve(specifier, fromFile, true));
    }
    return target;
  }

  private targetOf(specifier: string, resolved: ResolvedModule | undefined): ModuleTarget {
    if (!resolved) return { kind: "external", specifier };
    let file = path.resolve(resolved.resolvedFileName);
    // Built output of a project in the workspace: its source, even when the output exists (as `tsc -b` reads references).
    const source = sourceOfOutput(file, this.layout().outputs, (f) => this.fileHost.fileExists(f));
    if (source) file = source;
    else if (/\.d\.[mc]?ts$/.test(file)) return { kind: "external", specifier };
    if (resolved.isExternalLibraryImport && !this.isWorkspaceSource(file)) return { kind: "external", specifier };
    return { kind: "file", file };
  }

  /** A file of a workspace package or of the workspace itself, not a dependency installed in node_modules. */
  private isWorkspaceSource(file: string): boolean {
    if (file.split(path.sep).includes("node_modules")) return false;
    if (isInsideDir(file, this.rootDir)) return true;
    for (const pkg of this.layout().packages.values()) if (isInsideDir(file, pkg.dir)) return true;
    return false;
  }

  /**
   * `file` under a node_modules folder, read where the workspace package it names is when the
   * package manager made no link there (no node_modules, or not installed yet).
   */
  private linked<T>(file: string, read: (file: string) => T): T | undefined {
    const target = this.linkTarget(file);
    return target === undefined ? undefined : read(target);
  }

  private linkTarget(file: string): string | undefined {
    const marker = `${path.sep}node_modules${path.sep}`;
    const at = file.lastIndexOf(marker);
    if (at < 0) return undefined;
    const packages = this.layout().packages;
    if (packages.size === 0) return undefined;
    const rest = file.slice(at + marker.length);
    const name = packageNameOf(rest.split(path.sep).join("/"));
    const pkg = name === undefined ? undefined : packages.get(name);
    if (!pkg) return undefined;
    const linkDir = file.slice(0, at + marker.length) + name!.split("/").join(path.sep);
    if (this.fileHost.directoryExists?.(linkDir)) return undefined;
    return path.join(pkg.dir, rest.slice(name!.length));
  }

  /** A file, or an output file of a project reference that is not built (yet): TypeScript reads its source then. */
  private fileExists(file: string): boolean {
    if (this.fileHost.fileExists(file)) return true;
    const outputs = this.layout().outputs;
    return outputs.length > 0 && sourceOfOutput(file, outputs, (f) => this.fileHost.fileExists(f)) !== undefined;
  }

  private directoryExists(dir: string): boolean {
    if (this.fileHost.directoryExists!(dir)) return true;
    // TypeScript looks into a node_modules folder only when it exists: the workspace's are there to it, links or not.
    if (path.basename(dir) === "node_modules" && this.inWorkspace(path.dirname(dir))) return true;
    for (const { outDir, sourceDir } of this.layout().outputs) {
      if (isInsideDir(dir, outDir) && this.fileHost.directoryExists!(path.join(sourceDir, path.relative(outDir, dir)))) return true;
    }
    return false;
  }

  private inWorkspace(dir: string): boolean {
    const layout = this.layout();
    if (layout.packages.size === 0) return false;
    if (isInsideDir(dir, layout.root ?? this.rootDir)) return true;
    for (const pkg of layout.packages.values()) if (isInsideDir(dir, pkg.dir)) return true;
    return false;
  }

  /** Links followed, but named under the workspace root as given (which may itself sit behind a link). */
  private realpath(file: string): string {
    const real = this.fileHost.realpath ?? ((f: string) => f);
    const target = real(this.linkTarget(file) ?? file);
    this.realRoot ??= real(this.rootDir);
    if (this.realRoot !== this.rootDir && isInsideDir(target, this.realRoot)) return path.join(this.rootDir, path.relative(this.realRoot, target));
    return target;
  }
}

/**
 * The resolver of a workspace: `tsconfig` is its path (relative to `rootDir`), `false` for none,
 * or undefined for `<rootDir>/tsconfig.json` when it exists.
 */
export function workspaceModuleResolver(rootDir: string, tsconfig: string | false | undefined, fileHost: FileHost, seed?: ResolverState): ModuleResolver {
  const defaultConfig = path.join(rootDir, "tsconfig.json");
  const config = tsconfig === false ? undefined : (tsconfig ?? (fileHost.fileExists(defaultConfig) ? defaultConfig : undefined));
  return new ModuleResolver(rootDir, config && path.resolve(rootDir, config), fileHost, seed);
}
