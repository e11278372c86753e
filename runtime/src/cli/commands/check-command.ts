/**
 * `tributary check [paths…] [--format text|json|sarif]`: the static analysis of flow code
 * (DESIGN.md §3). Exit 1 when an error is found, 0 otherwise, 2 on bad usage.
 */
import path from "node:path";
import { Option, type Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { loadAnalysisCli } from "./analysis-cli-module.js";

export function registerCheckCommand(program: Command, ctx: CliContext): void {
  program
    .command("check")
    .description("Find dependency cycles, trigger loops, unknown names and other problems in flow code, without running it.")
    .argument("[paths...]", "files or directories to check (default: the current directory)")
    .addOption(new Option("--format <format>", "how to print the findings").choices(["text", "json", "sarif"]).default("text"))
    .option("--no-cache", "analyse every file, neither reading nor writing the caches (.tributary/cache/): the last result, file summaries, import resolutions")
    .addOption(new Option("--cache-dir <dir>", "where to keep the caches (default: .tributary/cache in the workspace); a folder a CI job keeps between runs makes its checks warm").env("TRIBUTARY_CACHE_DIR"))
    .option("--verbose", "say on stderr what came from the caches: the last result, file summaries (and how many files were parsed), import resolutions")
    .action(async (paths: string[], options: { format: string; cache: boolean; cacheDir?: string; verbose?: boolean }) => {
      const cli = loadAnalysisCli(ctx);
      const cacheDir = options.cacheDir === undefined || options.cacheDir === "" ? undefined : path.resolve(ctx.cwd, options.cacheDir);
      const check = { paths, format: options.format, cwd: ctx.cwd, stdout: ctx.stdout, stderr: ctx.stderr, cache: options.cache, cacheDir, verbose: options.verbose === true };
      ctx.exitCode = cli ? await cli.runCheck(check) : ExitCode.runFailed;
    });
}
