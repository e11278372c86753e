import path from "node:path";
import type { PathApi } from "../file-paths.js";

/**
 * Where the embedded store lives: `$TRIBUTARY_HOME/tributary.db` when TRIBUTARY_HOME is set
 * (relative to the current directory, or absolute: `D:\tributary`, `\\server\share\tributary`),
 * otherwise `.tributary/tributary.db` under the workspace (the current directory).
 */
export function resolveStorePath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd(), p: PathApi = path): string {
  const home = env.TRIBUTARY_HOME;
  if (home !== undefined && home.trim() !== "") return p.resolve(cwd, home, "tributary.db");
  return p.join(cwd, ".tributary", "tributary.db");
}
