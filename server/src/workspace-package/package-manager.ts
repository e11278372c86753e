/**
 * Which package manager installs into a project, read from what the project holds: the nearest
 * package.json (its folder is where the install runs), its `packageManager` field (Corepack's
 * declaration) and the lockfile beside it or, in a monorepo, in the first ancestor that has one.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_NAME } from "./find-package.js";

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

/** Lockfiles by the manager that writes them, in the order they are looked for. */
const LOCKFILES: readonly (readonly [string, PackageManager])[] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

/** The manager a lockfile's name belongs to, if it is one. */
export function managerOfLockfile(fileName: string): PackageManager | undefined {
  return LOCKFILES.find(([name]) => name === fileName)?.[1];
}

/** The manager a `packageManager` field such as `"pnpm@9.1.0"` names, if it is one of the four. */
export function managerOfField(field: unknown): PackageManager | undefined {
  if (typeof field !== "string") return undefined;
  const name = field.split("@")[0];
  return name === "npm" || name === "pnpm" || name === "yarn" || name === "bun" ? name : undefined;
}

/** The command that adds the package with `manager`. */
export function installCommand(manager: PackageManager, packageName = PACKAGE_NAME): string {
  return manager === "npm" ? `npm install ${packageName}` : `${manager} add ${packageName}`;
}

export interface InstallPlan {
  manager: PackageManager;
  command: string;
  /** Where to run it: the nearest package.json's folder, else `fromDir`. */
  cwd: string;
  /** Why this manager, for the log: "pnpm-lock.yaml in /p", "no lockfile". */
  reason: string;
}

/** How to install the package for code in `fromDir`. */
export function planInstall(fromDir: string): InstallPlan {
  const projectDir = nearestPackageDir(fromDir);
  const cwd = projectDir ?? path.resolve(fromDir);
  const plan = (manager: PackageManager, reason: string): InstallPlan => ({ manager, command: installCommand(manager), cwd, reason });
  if (projectDir !== undefined) {
    const declared = managerOfField(readPackageManagerField(path.join(projectDir, "package.json")));
    if (declared) return plan(declared, `"packageManager" in ${path.join(projectDir, "package.json")}`);
    for (let dir = projectDir; ; dir = path.dirname(dir)) {
      const found = LOCKFILES.find(([name]) => existsSync(path.join(dir, name)));
      if (found) return plan(found[1], `${found[0]} in ${dir}`);
      if (path.dirname(dir) === dir) break;
    }
  }
  return plan("npm", "no lockfile");
}

/** The folder of the nearest package.json at or above `fromDir` (outside node_modules). */
export function nearestPackageDir(fromDir: string): string | undefined {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) && !dir.split(path.sep).includes("node_modules")) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readPackageManagerField(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { packageManager?: unknown }).packageManager;
  } catch {
    return undefined;
  }
}
