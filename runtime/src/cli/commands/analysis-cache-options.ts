/**
 * The cache flags of the commands that analyse flow code (`check`, `graph`): one declaration, so
 * that both read `--no-cache`, `--cache-dir` (or TRIBUTARY_CACHE_DIR) and `--verbose` alike.
 */
import path from "node:path";
import { Option, type Command } from "commander";

/** What commander parsed of the flags `withAnalysisCacheOptions` declares. */
export interface AnalysisCacheFlags {
  cache: boolean;
  cacheDir?: string;
  verbose?: boolean;
}

export function withAnalysisCacheOptions(command: Command): Command {
  return command
    .option("--no-cache", "analyse every file, neither reading nor writing the caches (.tributary/cache/): the last result, file summaries, import resolutions")
    .addOption(new Option("--cache-dir <dir>", "where to keep the caches (default: .tributary/cache in the workspace); a folder a CI job keeps between runs makes its checks warm").env("TRIBUTARY_CACHE_DIR"))
    .option("--verbose", "say on stderr what came from the caches: the last result, file summaries (and how many files were parsed), import resolutions");
}

/** The flags as the analysis takes them: the cache folder absolute (from the command's cwd), an empty one as none. */
export function analysisCacheOptions(flags: AnalysisCacheFlags, cwd: string): { cache: boolean; cacheDir: string | undefined; verbose: boolean } {
  const cacheDir = flags.cacheDir === undefined || flags.cacheDir === "" ? undefined : path.resolve(cwd, flags.cacheDir);
  return { cache: flags.cache, cacheDir, verbose: flags.verbose === true };
}
