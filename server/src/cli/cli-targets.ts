import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { commonDirectory, isInsideDir } from "../../../runtime/src/file-paths.js";

/** What `tributary check|graph` reads: absolute paths, the workspace root, and its tsconfig. */
export interface CliTargets {
  paths: string[];
  rootDir: string;
  tsconfig: string | false;
}

/**
 * Paths resolved against `cwd` (default: `cwd` itself). A path that does not exist is a usage
 * error, returned as its message. The tsconfig is the nearest `tsconfig.json` from the root up to
 * `cwd` (the workspace), so that `tributary check flows/` still uses the repository's `paths`.
 */
export async function resolveCliTargets(paths: readonly string[], cwd: string): Promise<CliTargets | string> {
  const absolute = (paths.length > 0 ? paths : ["."]).map((p) => path.resolve(cwd, p));
  const dirs: string[] = [];
  for (const [i, p] of absolute.entries()) {
    const info = await stat(p).catch(() => undefined);
    if (!info) return `No such file or directory: ${paths[i] ?? p}. Paths are relative to the current directory (${cwd}).`;
    dirs.push(info.isDirectory() ? p : path.dirname(p));
  }
  const rootDir = commonDirectory(dirs);
  return { paths: absolute, rootDir, tsconfig: findTsconfig(rootDir, cwd) };
}

function findTsconfig(from: string, cwd: string): string | false {
  const inside = isInsideDir(from, cwd);
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tsconfig.json");
    if (existsSync(candidate)) return candidate;
    if (!inside || dir === cwd || path.dirname(dir) === dir) return false;
  }
}
