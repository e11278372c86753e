import path from "node:path";
import picomatch from "picomatch";
import { isInsideDir } from "../../../runtime/src/file-paths.js";
import type { FileHost } from "./file-host.js";
import { parser } from "./load-parser.js";

/** A package of the workspace, imported by other packages by its name. */
export interface WorkspacePackage {
  name: string;
  /** Its folder (the one holding its package.json). */
  dir: string;
}

/** Where a TypeScript project builds to: a file under `outDir` is built from the same path under `sourceDir`. */
export interface BuildOutput {
  outDir: string;
  sourceDir: string;
}

/**
 * What the analysis knows of a monorepo without running anything or needing node_modules: the
 * packages the workspace declares (package.json `workspaces`, as npm and yarn read it, or
 * pnpm-workspace.yaml) and the projects the tsconfig references, by package name, and where
 * each TypeScript project builds to (so that a package whose `types` or `exports` point at
 * unbuilt output is read from its sources, as `tsc -b` does with project references).
 */
export interface WorkspaceLayout {
  /** The folder that declares the workspace, if any. */
  root: string | undefined;
  packages: ReadonlyMap<string, WorkspacePackage>;
  outputs: readonly BuildOutput[];
  /** Files that could not be read: what is wrong with each and what is not followed because of it. */
  problems: readonly WorkspaceProblem[];
}

/** A package.json, pnpm-workspace.yaml or tsconfig the analysis could not read; the rest is still followed. */
export interface WorkspaceProblem {
  file: string;
  /** A sentence: what is wrong and what is not followed. */
  message: string;
}

const MAX_PACKAGE_FOLDERS = 5000;
const MAX_GLOB_DEPTH = 8;
const MAX_REFERENCE_DEPTH = 32;

/**
 * Reads the workspace around `startDir`: the nearest folder, from `startDir` up, whose
 * pnpm-workspace.yaml or package.json declares packages; and the project references of
 * `tsconfig`. A package.json or tsconfig that cannot be read is a problem, never an exception:
 * the other packages are still followed.
 */
export function readWorkspaceLayout(startDir: string, tsconfig: string | undefined, host: FileHost): WorkspaceLayout {
  const packages = new Map<string, WorkspacePackage>();
  const outputs: BuildOutput[] = [];
  const problems: WorkspaceProblem[] = [];
  const declared = findWorkspaceRoot(path.resolve(startDir), host, problems);
  const addPackage = (dir: string) => {
    const manifest = readJson(path.join(dir, "package.json"), host);
    if (manifest.error !== undefined) {
      if (manifest.error !== MISSING) problems.push({ file: path.join(dir, "package.json"), message: `${manifest.error} Imports of this package by name are not followed.` });
      return;
    }
    const name = isObject(manifest.value) ? manifest.value.name : undefined;
    if (typeof name === "string" && name !== "" && !packages.has(name)) packages.set(name, { name, dir });
  };
  if (declared) for (const dir of expandPackageGlobs(declared.root, declared.globs, host)) addPackage(dir);

  // Project references: every project reached, and the package each one is.
  const projects = new Set<string>();
  const visit = (config: string, depth: number) => {
    if (projects.has(config) || depth > MAX_REFERENCE_DEPTH) return;
    projects.add(config);
    const parsed = readTsconfig(config, host, problems);
    if (!parsed) return;
    outputs.push(...buildOutputs(config, parsed));
    if (depth > 0) addPackage(path.dirname(config));
    for (const reference of parsed.references) visit(referencedConfig(reference, host), depth + 1);
  };
  if (tsconfig) visit(path.resolve(tsconfig), 0);
  // A package's own tsconfig says where it builds to, referenced or not.
  for (const pkg of packages.values()) {
    const config = path.join(pkg.dir, "tsconfig.json");
    if (!projects.has(config) && host.fileExists(config)) visit(config, 1);
  }
  // A package both declared and referenced is read twice: its problem is said once.
  const unique = [...new Map(problems.map((p) => [`${p.file}\0${p.message}`, p])).values()];
  return { root: declared?.root, packages, outputs, problems: unique };
}

/** The package name an import specifier names: `@scope/name` or `name`, without its subpath; undefined for relative and absolute paths. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("#") || /^[a-zA-Z]:[\\/]/.test(specifier) || specifier.includes(":")) return undefined;
  const parts = specifier.split("/");
  if (specifier.startsWith("@")) return parts.length >= 2 && parts[1] !== "" ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] === "" ? undefined : parts[0];
}

/**
 * The source file a build output comes from (`dist/flows.js` or `dist/flows.d.ts` of a project
 * built from `src/`: `src/flows.ts`), when one exists; undefined for a file that is not an output.
 */
export function sourceOfOutput(file: string, outputs: readonly BuildOutput[], exists: (file: string) => boolean): string | undefined {
  const stem = /\.d\.[mc]?ts$/.test(file) ? file.replace(/\.d\.([mc]?)ts$/, ".$1js") : file;
  const match = /\.([mc]?)jsx?$/.exec(stem);
  if (!match) return undefined;
  for (const { outDir, sourceDir } of outputs) {
    if (!isInsideDir(stem, outDir) || outDir === sourceDir) continue;
    const base = path.join(sourceDir, path.relative(outDir, stem)).slice(0, -match[0].length);
    const kind = match[1] ?? "";
    const candidates = kind === "" ? [".ts", ".tsx", ".js", ".jsx"] : [`.${kind}ts`, `.${kind}js`];
    for (const ext of candidates) if (exists(base + ext)) return base + ext;
  }
  return undefined;
}

/** The globs a workspace declares, in package.json `workspaces` (an array, or yarn's `{ packages }`) or pnpm-workspace.yaml. */
function findWorkspaceRoot(startDir: string, host: FileHost, problems: WorkspaceProblem[]): { root: string; globs: string[] } | undefined {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    const pnpmFile = path.join(dir, "pnpm-workspace.yaml");
    if (host.fileExists(pnpmFile)) {
      const globs = readPnpmWorkspacePackages(host.readFile(pnpmFile) ?? "");
      if (globs) return { root: dir, globs };
      problems.push({ file: pnpmFile, message: 'It has no "packages:" list that can be read (a list of globs such as - "packages/*"); its packages are not followed.' });
    }
    const manifestFile = path.join(dir, "package.json");
    const manifest = readJson(manifestFile, host);
    if (manifest.error !== undefined && manifest.error !== MISSING) problems.push({ file: manifestFile, message: `${manifest.error} The workspaces it may declare are not followed.` });
    const workspaces = isObject(manifest.value) ? manifest.value.workspaces : undefined;
    const globs = Array.isArray(workspaces) ? workspaces : isObject(workspaces) && Array.isArray(workspaces.packages) ? workspaces.packages : undefined;
    if (globs) return { root: dir, globs: globs.filter((g): g is string => typeof g === "string" && g !== "") };
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The `packages:` list of a pnpm-workspace.yaml, block (`- "apps/*"`) or flow (`["apps/*"]`)
 * style: the one key the analysis needs, read without a YAML library. Undefined when there is none.
 */
export function readPnpmWorkspacePackages(text: string): string[] | undefined {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const start = lines.findIndex((line) => /^packages\s*:/.test(line));
  if (start < 0) return undefined;
  const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, "$2");
  const inline = lines[start]!.replace(/^packages\s*:/, "").replace(/\s+#.*$/, "").trim();
  if (inline.startsWith("[")) {
    if (!inline.endsWith("]")) return undefined;
    return inline.slice(1, -1).split(",").map(unquote).filter((g) => g !== "");
  }
  if (inline !== "") return undefined;
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const item = /^\s*-\s*(.*?)\s*$/.exec(line);
    if (!item) {
      if (/^\S/.test(line)) break;
      return undefined;
    }
    const value = unquote(item[1]!.replace(/\s+#.*$/, ""));
    if (value !== "") globs.push(value);
  }
  return globs;
}

/** The folders holding a package.json that the globs (relative to `root`, `!` to leave out) match; never inside node_modules. */
function expandPackageGlobs(root: string, globs: readonly string[], host: FileHost): string[] {
  const normalize = (glob: string) => glob.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
  const excluded = globs.filter((g) => g.startsWith("!")).map((g) => normalize(g.slice(1)));
  const isExcluded = excluded.length > 0 ? picomatch(excluded) : () => false;
  const found = new Set<string>();
  for (const glob of globs) {
    if (glob.startsWith("!")) continue;
    for (const dir of expandGlob(root, normalize(glob), host)) {
      const relative = path.relative(root, dir).split(path.sep).join("/");
      if (found.size < MAX_PACKAGE_FOLDERS && !isExcluded(relative) && host.fileExists(path.join(dir, "package.json"))) found.add(dir);
    }
  }
  return [...found].sort();
}

function expandGlob(root: string, glob: string, host: FileHost): string[] {
  let dirs = [root];
  for (const segment of glob.split("/")) {
    if (segment === "" || segment === ".") continue;
    const next = new Set<string>();
    for (const dir of dirs) {
      if (segment === "**") for (const d of descendants(dir, host, MAX_GLOB_DEPTH)) next.add(d);
      else if (/[*?[\]{}!]/.test(segment)) {
        const matches = picomatch(segment);
        for (const name of host.subdirectories?.(dir) ?? []) if (name !== "node_modules" && !name.startsWith(".") && matches(name)) next.add(path.join(dir, name));
      } else next.add(path.join(dir, segment));
    }
    dirs = [...next].slice(0, MAX_PACKAGE_FOLDERS);
  }
  return dirs;
}

function descendants(dir: string, host: FileHost, depth: number): string[] {
  const all = [dir];
  if (depth <= 0) return all;
  for (const name of host.subdirectories?.(dir) ?? []) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    all.push(...descendants(path.join(dir, name), host, depth - 1));
    if (all.length > MAX_PACKAGE_FOLDERS) break;
  }
  return all;
}

function referencedConfig(reference: string, host: FileHost): string {
  const full = path.resolve(reference);
  return host.fileExists(full) ? full : path.join(full, "tsconfig.json");
}

interface TsconfigLayout {
  rootDir?: string;
  outDir?: string;
  declarationDir?: string;
  references: string[];
}

function readTsconfig(config: string, host: FileHost, problems: WorkspaceProblem[]): TsconfigLayout | undefined {
  if (!host.fileExists(config)) return undefined;
  const read = parser().readTsconfig(config, host);
  if (read.error !== undefined) {
    problems.push({ file: config, message: `It cannot be read (${read.error}); its project references are not followed.` });
    return undefined;
  }
  return read;
}

function buildOutputs(config: string, options: TsconfigLayout): BuildOutput[] {
  const sourceDir = path.resolve(options.rootDir ?? path.dirname(config));
  return [options.outDir, options.declarationDir].flatMap((out) => (out ? [{ outDir: path.resolve(out), sourceDir }] : []));
}

const MISSING = "missing";

function readJson(file: string, host: FileHost): { value?: unknown; error?: string } {
  const text = host.readFile(file);
  if (text === undefined) return { error: MISSING };
  try {
    return { value: JSON.parse(text.replace(/^\uFEFF/, "")) as unknown };
  } catch (error) {
    return { error: `It is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
