/**
 * `tributary check [paths…] [--format text|json|sarif]`: the static analysis of flow code
 * (DESIGN.md §3). Exit 1 when an error is found, 0 otherwise, 2 on bad usage.
 *
 * A plain check is first offered to the check service (runtime/bin/tributary.js, before this
 * program loads); when none answered, this one checks in the process and then starts the service
 * for the next check, unless `--no-daemon`, TRIBUTARY_DAEMON=0 or CI says not to.
 */
import { Option, type Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { startCheckService } from "../check-service/start-service.js";
import { ExitCode } from "../exit-codes.js";
import { analysisCacheOptions, withAnalysisCacheOptions, type AnalysisCacheFlags } from "./analysis-cache-options.js";
import { loadAnalysisCli } from "./analysis-cli-module.js";

export function registerCheckCommand(program: Command, ctx: CliContext): void {
  withAnalysisCacheOptions(
    program
      .command("check")
      .description("Find dependency cycles, trigger loops, unknown names and other problems in flow code, without running it.")
      .argument("[paths...]", "files or directories to check (default: the current directory)")
      .addOption(new Option("--format <format>", "how to print the findings").choices(["text", "json", "sarif"]).default("text")),
  )
    .option("--no-daemon", "check in this process, without asking or starting the check service (also TRIBUTARY_DAEMON=0, or CI set)")
    .action(async (paths: string[], options: AnalysisCacheFlags & { format: string; daemon: boolean }) => {
      const cli = loadAnalysisCli(ctx);
      const caches = analysisCacheOptions(options, ctx.cwd);
      const check = { paths, format: options.format, cwd: ctx.cwd, stdout: ctx.stdout, stderr: ctx.stderr, ...caches };
      ctx.exitCode = cli ? await cli.runCheck(check) : ExitCode.runFailed;
      // The service keeps the analysis in memory; a check that keeps no cache wants none kept.
      if (cli && options.daemon && caches.cache) startCheckService(ctx, { paths, format: options.format, ...(caches.cacheDir ? { cacheDir: caches.cacheDir } : {}) });
    });
}
