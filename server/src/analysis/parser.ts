/**
 * Everything of the analysis that needs the TypeScript compiler, behind one module that
 * `load-parser.ts` loads on first use: parsing a file into its summary, reading the bindings of a
 * module that may re-export "tributaryjs", resolving an import with `ts.resolveModuleName`, and
 * reading a tsconfig. What it returns is plain data; no compiler object leaves this module.
 */
import path from "node:path";
import { ts } from "ts-morph";
import type { FileHost } from "./file-host.js";
import { readModuleBindings } from "./read-module-bindings.js";
import { scriptKindOf, summarizeFile } from "./summarize-file.js";

export { summarizeFile };

/** The compiler's version (the one ts-morph bundles). */
export const typescriptVersion = ts.version;

/** The specifiers a module re-exports (`export * from`, `export { x } from`) and those whose imports it exports again. */
export function reexportedSpecifiers(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const bindings = readModuleBindings(sf);
  const specifiers = bindings.reexports.map((r) => r.specifier);
  for (const local of bindings.exports.values()) {
    const imported = bindings.imports.get(local);
    if (imported) specifiers.push(imported.specifier);
  }
  return specifiers;
}

/** Where `ts.resolveModuleName` put a module. */
export interface ResolvedModule {
  resolvedFileName: string;
  isExternalLibraryImport: boolean;
}

/** How a resolution host answers (`module-resolver.ts` passes its own, which sees workspace links). */
export interface ResolutionHost {
  fileExists(file: string): boolean;
  readFile(file: string): string | undefined;
  directoryExists?(dir: string): boolean;
  realpath?(file: string): string;
}

/** Resolves imports under a workspace's compiler options, with TypeScript's cache. */
export interface TsResolution {
  /** `specifier` imported from `fromFile`; `fallback` resolves it under bundler resolution instead of the workspace's. */
  resolve(specifier: string, fromFile: string, fallback: boolean): ResolvedModule | undefined;
  /** Forget the compiler's cache of resolutions (files came or went). */
  reset(): void;
}

const FALLBACK_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
};

/** Resolution under `tsconfig`'s options (read through `fileHost`), or bundler resolution without one. */
export function createTsResolution(rootDir: string, tsconfig: string | undefined, host: ResolutionHost, fileHost: FileHost): TsResolution {
  const options: ts.CompilerOptions = { ...(tsconfig ? readCompilerOptions(tsconfig, fileHost) : FALLBACK_OPTIONS), allowJs: true, noEmit: true };
  let cache = ts.createModuleResolutionCache(rootDir, (f) => f, options);
  const tsHost: ts.ModuleResolutionHost = {
    fileExists: (f) => host.fileExists(f),
    readFile: (f) => host.readFile(f),
    directoryExists: host.directoryExists ? (d) => host.directoryExists!(d) : undefined,
    realpath: host.realpath ? (f) => host.realpath!(f) : undefined,
  };
  return {
    resolve(specifier, fromFile, fallback) {
      const resolved = fallback ? ts.resolveModuleName(specifier, fromFile, FALLBACK_OPTIONS, tsHost).resolvedModule : ts.resolveModuleName(specifier, fromFile, options, tsHost, cache).resolvedModule;
      return resolved ? { resolvedFileName: resolved.resolvedFileName, isExternalLibraryImport: resolved.isExternalLibraryImport === true } : undefined;
    },
    reset() {
      cache = ts.createModuleResolutionCache(rootDir, (f) => f, options);
    },
  };
}

function readCompilerOptions(tsconfig: string, fileHost: FileHost): ts.CompilerOptions {
  const read = ts.readConfigFile(tsconfig, (f) => fileHost.readFile(f));
  if (read.error || read.config === undefined) return FALLBACK_OPTIONS;
  return ts.parseJsonConfigFileContent(read.config, parseHost(fileHost), path.dirname(tsconfig), undefined, tsconfig).options;
}

/** What the workspace layout needs of a tsconfig: where it builds from and to, and what it references. */
export interface TsconfigReading {
  /** Why it cannot be read (then nothing else is set). */
  error?: string;
  rootDir?: string;
  outDir?: string;
  declarationDir?: string;
  /** The paths of its project references, as the tsconfig names them (resolved against its folder). */
  references: string[];
}

/** Reads a tsconfig (with what it `extends`) through `host`. */
export function readTsconfig(config: string, host: FileHost): TsconfigReading {
  const read = ts.readConfigFile(config, (f) => host.readFile(f));
  const isObject = typeof read.config === "object" && read.config !== null && !Array.isArray(read.config);
  if (read.error || !isObject) return { error: read.error ? ts.flattenDiagnosticMessageText(read.error.messageText, " ") : "not an object", references: [] };
  const parsed = ts.parseJsonConfigFileContent(read.config, parseHost(host), path.dirname(config), undefined, config);
  const { rootDir, outDir, declarationDir } = parsed.options;
  return { rootDir, outDir, declarationDir, references: (parsed.projectReferences ?? []).map((r) => r.path) };
}

function parseHost(host: FileHost): ts.ParseConfigHost {
  return {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    // Only the options matter here: do not walk the workspace for `include`.
    readDirectory: () => [],
    fileExists: (f) => host.fileExists(f),
    readFile: (f) => host.readFile(f),
  };
}
