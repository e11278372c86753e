/**
 * What code a deployment may run: only code inside the projects the server was started for. A
 * deployment's `workDir` must be one of the server's project directories (`workDirs`: the directory
 * it was started in, plus `--allow-workdir`) or inside one, and its entrypoint must lie inside its
 * `workDir` — symbolic links followed, so neither `..` nor a link leads out. Checked when a
 * deployment is registered (the request is refused) and again before each run (the run fails): a
 * path from a request body is never executed otherwise.
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { isInsideDir } from "../file-paths.js";

/** `path/to/file.ts:exportName` → its parts (a Windows drive letter's colon is not a separator). */
export function splitEntrypoint(entrypoint: string): { file: string; exportName?: string } {
  const colon = entrypoint.lastIndexOf(":");
  if (colon <= 1) return { file: entrypoint };
  return { file: entrypoint.slice(0, colon), exportName: entrypoint.slice(colon + 1) };
}

/** The project directories, absolute and with links resolved (a missing one is kept as given). */
export function resolveWorkDirRoots(dirs: readonly string[]): string[] {
  return [...new Set(dirs.map((dir) => realOrResolved(path.resolve(dir))))];
}

/**
 * Why `deployment` may not run here (a sentence naming the path and what to do), or undefined
 * when its code lies inside one of `roots`.
 */
export function deploymentCodeProblem(deployment: { name: string; workDir: string; entrypoint: string }, roots: readonly string[]): string | undefined {
  const { name, workDir, entrypoint } = deployment;
  if (!path.isAbsolute(workDir)) return `Deployment "${name}": \`workDir\` must be an absolute path, got "${workDir}".`;
  let realWorkDir: string;
  try {
    realWorkDir = realpathSync(workDir);
  } catch {
    return `Deployment "${name}": its workDir "${workDir}" does not exist on the server's machine.`;
  }
  if (!roots.some((root) => isInsideDir(realWorkDir, root))) {
    return (
      `Deployment "${name}": its workDir "${workDir}" is not a project this server runs code from (${roots.join(", ") || "none"}). ` +
      `Register it from the project the server was started in, or start the server with \`--allow-workdir ${workDir}\`.`
    );
  }
  const { file } = splitEntrypoint(entrypoint);
  const absolute = path.resolve(realWorkDir, file);
  if (!isInsideDir(absolute, realWorkDir)) return `Deployment "${name}": its entrypoint "${entrypoint}" lies outside its workDir "${workDir}"; give a path inside it.`;
  let realFile: string;
  try {
    realFile = realpathSync(absolute);
  } catch {
    return `Deployment "${name}": its entrypoint file "${file}" does not exist in "${workDir}".`;
  }
  if (!isInsideDir(realFile, realWorkDir)) return `Deployment "${name}": its entrypoint "${entrypoint}" is a link to "${realFile}", outside its workDir "${workDir}".`;
  return undefined;
}

function realOrResolved(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
