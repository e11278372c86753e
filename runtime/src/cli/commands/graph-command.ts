/**
 * `tributary graph [paths…] --format json|mermaid|dot`: the static dependency graph of flows,
 * tasks, deployments and automations (DESIGN.md §3).
 */
import { Option, type Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { loadAnalysisCli } from "./analysis-cli-module.js";

export function registerGraphCommand(program: Command, ctx: CliContext): void {
  program
    .command("graph")
    .description("Print the static dependency graph of the flow code, as JSON, Mermaid or Graphviz DOT.")
    .argument("[paths...]", "files or directories to read (default: the current directory)")
    .addOption(new Option("--format <format>", "how to print the graph").choices(["json", "mermaid", "dot"]).default("json"))
    .action(async (paths: string[], options: { format: string }) => {
      const cli = loadAnalysisCli(ctx);
      ctx.exitCode = cli ? await cli.runGraph({ paths, format: options.format, cwd: ctx.cwd, stdout: ctx.stdout, stderr: ctx.stderr }) : ExitCode.runFailed;
    });
}
