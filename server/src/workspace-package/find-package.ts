/**
 * Finds the `tributaryjs` package a folder would import, as Node resolves a bare specifier: the
 * first `node_modules/tributaryjs/package.json` in the folder or one of its ancestors. Shared by the
 * language server (TRB160, which analysis to load) and the extension (which CLI runs flows).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const PACKAGE_NAME = "tributaryjs";

/** A copy of the package found in a project's node_modules. */
export interface InstalledPackage {
  /** The package folder, as found (`…/node_modules/tributaryjs`; not resolved through symbolic links). */
  root: string;
  version: string;
  /** The `tributary` bin's script. */
  cliPath: string;
  /** The analysis module (the `./analysis` export), when this version has one. */
  analysisPath: string | undefined;
}

export type PackageLookup =
  | { kind: "installed"; pkg: InstalledPackage }
  /** A folder is there but cannot be used: Node would stop at it too, so nothing further up counts. */
  | { kind: "broken"; root: string; problem: string }
  | { kind: "missing" };

export function findPackage(fromDir: string): PackageLookup {
  for (const modules of nodeModulesDirs(fromDir)) {
    const root = path.join(modules, PACKAGE_NAME);
    const manifest = path.join(root, "package.json");
    if (existsSync(manifest)) return readManifest(root, manifest);
  }
  return { kind: "missing" };
}

/** The `node_modules` folders Node searches from `fromDir` for a bare specifier, nearest first. */
export function* nodeModulesDirs(fromDir: string): Generator<string> {
  let dir = path.resolve(fromDir);
  while (true) {
    // Node never looks for node_modules/node_modules/…
    if (path.basename(dir) !== "node_modules") yield path.join(dir, "node_modules");
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

function readManifest(root: string, manifest: string): PackageLookup {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(manifest, "utf8"));
  } catch (error) {
    return { kind: "broken", root, problem: `${manifest} cannot be read: ${(error as Error).message}` };
  }
  const { name, version, bin, exports } = (json ?? {}) as { name?: unknown; version?: unknown; bin?: unknown; exports?: unknown };
  if (name !== PACKAGE_NAME) return { kind: "broken", root, problem: `${manifest} names the package ${JSON.stringify(name)}, not "${PACKAGE_NAME}"` };
  if (typeof version !== "string" || version === "") return { kind: "broken", root, problem: `${manifest} has no version` };
  const binPath = typeof bin === "string" ? bin : typeof bin === "object" && bin !== null ? (bin as Record<string, unknown>).tributary : undefined;
  if (typeof binPath !== "string") return { kind: "broken", root, problem: `${manifest} declares no "tributary" bin` };
  const cliPath = path.resolve(root, binPath);
  if (!existsSync(cliPath)) return { kind: "broken", root, problem: `the tributary bin ${cliPath} is missing (an interrupted install? run your package manager's install again)` };
  const analysis = typeof exports === "object" && exports !== null ? (exports as Record<string, unknown>)["./analysis"] : undefined;
  const analysisPath = typeof analysis === "string" ? path.resolve(root, analysis) : undefined;
  return { kind: "installed", pkg: { root, version, cliPath, analysisPath } };
}
