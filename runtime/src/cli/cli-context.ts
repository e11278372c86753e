/**
 * What every command handler gets: where it runs, where it writes, where the store lives, and the
 * exit code it wants. One context per CLI invocation; nothing in the CLI keeps module-level state.
 */
import path from "node:path";
import { databaseUrlFromEnv } from "../store/open-store.js";
import { resolveStorePath } from "../store/store-path.js";
import { foldStackTrace } from "./render/fold-stack-trace.js";

/** The streams a command writes to; `isTTY` and `columns` decide how progress is drawn. */
export interface OutputStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface CliContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The embedded store's file (TRIBUTARY_HOME or `.tributary/` under cwd); also where server.json lives. */
  readonly storePath: string;
  /**
   * The PostgreSQL database of the store (`--database-url`, else TRIBUTARY_DATABASE_URL); undefined:
   * the SQLite file at `storePath`. Set by the program from its global option before a command runs.
   */
  databaseUrl: string | undefined;
  /** The folder of the built CLI (`runtime/dist/cli`): the child runner and the runtime are found from here. */
  readonly cliDir: string;
  now(): Date;
  /** The code the process exits with; commands set it, the program reads it after parsing. */
  exitCode: number;
}

export function createProcessContext(cliDir: string): CliContext {
  const cwd = process.cwd();
  return {
    cwd,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    storePath: resolveStorePath(process.env, cwd),
    databaseUrl: databaseUrlFromEnv(process.env),
    cliDir,
    now: () => new Date(),
    exitCode: 0,
  };
}

/** The built runtime library that flow bundles load as `"tributaryjs"`. */
export function runtimeLibraryPath(ctx: CliContext): string {
  return path.resolve(ctx.cliDir, "../index.js");
}

/**
 * How a command prints a log line's message: stack traces folded to the user's frames (paths
 * relative to the current directory) with the frames of this tributaryjs (the package folder above
 * `cliDir`), of node_modules and of node counted in one line; as stored with `verbose`.
 */
export function logMessageFormatter(ctx: CliContext, verbose: boolean): (message: string) => string {
  if (verbose) return (message) => message;
  const options = { cwd: ctx.cwd, tributaryRoots: [path.resolve(ctx.cliDir, "../..")] };
  return (message) => foldStackTrace(message, options);
}

/** The child process entry that executes one flow run. */
export function runChildPath(ctx: CliContext): string {
  return path.join(ctx.cliDir, "run-child.js");
}

/** The dashboard's built files that `tributary server start` serves at `/` (runtime/dist/dashboard). */
export function dashboardPath(ctx: CliContext): string {
  return path.join(ctx.cliDir, "..", "dashboard");
}
