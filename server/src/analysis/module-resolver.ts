import path from "node:path";
import { ts } from "ts-morph";
import type { FileHost } from "./file-host.js";
import { TRIBUTARY_MODULE } from "./read-module-bindings.js";

export type ModuleTarget = { kind: "tributary" } | { kind: "file"; file: string } | { kind: "external"; specifier: string };

const FALLBACK_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
};

/**
 * Resolves import specifiers to files with `ts.resolveModuleName`, honouring the workspace
 * tsconfig (`paths`, `baseUrl`, module resolution), with a cache per directory and specifier.
 * "tributaryjs" itself is never resolved: it is the API being analysed, wherever it lives.
 */
export class ModuleResolver {
  private readonly options: ts.CompilerOptions;
  private readonly cache = new Map<string, ModuleTarget>();
  private tsCache: ts.ModuleResolutionCache;
  private readonly host: ts.ModuleResolutionHost;

  constructor(
    private readonly rootDir: string,
    tsconfig: string | undefined,
    fileHost: FileHost,
  ) {
    this.host = {
      fileExists: (file) => fileHost.fileExists(file),
      readFile: (file) => fileHost.readFile(file),
      directoryExists: fileHost.directoryExists ? (dir) => fileHost.directoryExists!(dir) : undefined,
    };
    this.options = { ...(tsconfig ? readCompilerOptions(tsconfig, fileHost) : FALLBACK_OPTIONS), allowJs: true, noEmit: true };
    this.tsCache = ts.createModuleResolutionCache(rootDir, (f) => f, this.options);
  }

  resolve(specifier: string, fromFile: string): ModuleTarget {
    if (specifier === TRIBUTARY_MODULE) return { kind: "tributary" };
    const key = `${path.dirname(fromFile)}\0${specifier}`;
    let target = this.cache.get(key);
    if (target === undefined) {
      target = this.resolveUncached(specifier, fromFile);
      this.cache.set(key, target);
    }
    return target;
  }

  /** Forget every resolution: files were added or removed. */
  clear(): void {
    this.cache.clear();
    this.tsCache = ts.createModuleResolutionCache(this.rootDir, (f) => f, this.options);
  }

  private resolveUncached(specifier: string, fromFile: string): ModuleTarget {
    let resolved = ts.resolveModuleName(specifier, fromFile, this.options, this.host, this.tsCache).resolvedModule;
    // Extensionless relative imports fail under NodeNext; a user still means the file next door.
    if (!resolved && specifier.startsWith(".")) resolved = ts.resolveModuleName(specifier, fromFile, FALLBACK_OPTIONS, this.host).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.endsWith(".d.ts")) return { kind: "external", specifier };
    return { kind: "file", file: path.resolve(resolved.resolvedFileName) };
  }
}

/**
 * The resolver of a workspace: `tsconfig` is its path (relative to `rootDir`), `false` for none,
 * or undefined for `<rootDir>/tsconfig.json` when it exists.
 */
export function workspaceModuleResolver(rootDir: string, tsconfig: string | false | undefined, fileHost: FileHost): ModuleResolver {
  const defaultConfig = path.join(rootDir, "tsconfig.json");
  const config = tsconfig === false ? undefined : (tsconfig ?? (fileHost.fileExists(defaultConfig) ? defaultConfig : undefined));
  return new ModuleResolver(rootDir, config && path.resolve(rootDir, config), fileHost);
}

function readCompilerOptions(tsconfig: string, fileHost: FileHost): ts.CompilerOptions {
  const read = ts.readConfigFile(tsconfig, (f) => fileHost.readFile(f));
  if (read.error || read.config === undefined) return FALLBACK_OPTIONS;
  const parseHost: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    // Only the options matter here: do not walk the workspace for `include`.
    readDirectory: () => [],
    fileExists: (f) => fileHost.fileExists(f),
    readFile: (f) => fileHost.readFile(f),
  };
  const parsed = ts.parseJsonConfigFileContent(read.config, parseHost, path.dirname(tsconfig), undefined, tsconfig);
  return parsed.options;
}
