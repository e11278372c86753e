/**
 * Finds an executable on the PATH the way a shell would, for any platform: the PATH's folders in
 * order, and on Windows each of PATHEXT's extensions in order. Pure apart from `isExecutable`, so
 * Windows lookups are tested with win32 inputs on any machine.
 */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

export interface PathLookup {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Whether `file` is a file this process may execute. */
  isExecutable: (file: string) => boolean;
}

/** What Windows uses when PATHEXT is unset. */
const DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";
/**
 * Node refuses to spawn a .bat or .cmd without a shell (CVE-2024-27980), and a shell would have
 * to quote every argument: such a `node` (some version managers' shims) cannot be used directly.
 */
const NEEDS_SHELL = new Set([".bat", ".cmd"]);

/**
 * The absolute path of `name` on the PATH of `env`, or undefined when none of its folders holds it.
 * Relative PATH entries (`.`, `node_modules/.bin`) are skipped: they would resolve against the
 * workspace, and a workspace must not be able to plant the `node` that runs its flows.
 */
export function findOnPath(name: string, lookup: PathLookup): string | undefined {
  const windows = lookup.platform === "win32";
  const paths = windows ? path.win32 : path.posix;
  const names = windows ? windowsNames(name, envValue(lookup.env, "PATHEXT", true) ?? DEFAULT_PATHEXT) : [name];
  for (const entry of pathEntries(lookup.env, windows)) {
    if (!paths.isAbsolute(entry)) continue;
    for (const candidate of names) {
      const file = paths.join(entry, candidate);
      if (lookup.isExecutable(file)) return file;
    }
  }
  return undefined;
}

/** The PATH's folders in order, with Windows' optional quotes removed. */
export function pathEntries(env: NodeJS.ProcessEnv, windows: boolean): string[] {
  const value = envValue(env, "PATH", windows) ?? "";
  return value
    .split(windows ? ";" : ":")
    .map((entry) => (windows ? entry.trim().replace(/^"(.*)"$/, "$1") : entry))
    .filter((entry) => entry !== "");
}

/** `name` with each PATHEXT extension, in PATHEXT's order; `name` itself first when it already has one of them. */
function windowsNames(name: string, pathext: string): string[] {
  const extensions = pathext
    .split(";")
    .map((ext) => ext.trim())
    .filter((ext) => ext.startsWith(".") && !NEEDS_SHELL.has(ext.toLowerCase()));
  const own = path.win32.extname(name).toLowerCase();
  const withOwn = own !== "" && extensions.some((ext) => ext.toLowerCase() === own) ? [name] : [];
  return [...withOwn, ...extensions.map((ext) => name + ext)];
}

/** Environment variable names are case-insensitive on Windows (`Path`, `PathExt`). */
function envValue(env: NodeJS.ProcessEnv, name: string, caseInsensitive: boolean): string | undefined {
  if (!caseInsensitive) return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/** This machine's answer for {@link PathLookup.isExecutable}: a file, and on POSIX one with an execute permission for this process. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== "win32") accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
