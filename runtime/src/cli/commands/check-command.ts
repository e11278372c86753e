/**
 * `tributary check [paths…] [--format text|json|sarif]`: the static analysis of flow code
 * (DESIGN.md §3). Exit 1 when an error is found, 0 otherwise, 2 on bad usage.
 */
import { Option, type Command } from "commander";
import type { CliContext } from "../cli-context.js";
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
  ).action(async (paths: string[], options: AnalysisCacheFlags & { format: string }) => {
    const cli = loadAnalysisCli(ctx);
    const check = { paths, format: options.format, cwd: ctx.cwd, stdout: ctx.stdout, stderr: ctx.stderr, ...analysisCacheOptions(options, ctx.cwd) };
    ctx.exitCode = cli ? await cli.runCheck(check) : ExitCode.runFailed;
  });
}
