import path from "node:path";

/**
 * Where the embedded store lives: `$TRIBUTARY_HOME/tributary.db` when TRIBUTARY_HOME is set,
 * otherwise `.tributary/tributary.db` under the workspace (the current directory).
 */
export function resolveStorePath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const home = env.TRIBUTARY_HOME;
  if (home !== undefined && home.trim() !== "") return path.resolve(cwd, home, "tributary.db");
  return path.join(cwd, ".tributary", "tributary.db");
}
