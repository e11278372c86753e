/**
 * `tributary graph [paths…] --format json|mermaid|dot`: the static dependency graph of flows,
 * tasks, deployments and automations (DESIGN.md §3), read through the caches `check` keeps.
 * `--registered` prints instead what the server holds: the graph each project's last
 * `tributary deploy` sent (GET /api/graph).
 */
import { Option, type Command } from "commander";
import { UsageError } from "../../errors.js";
import type { RegisteredGraph } from "../../orchestrator/contract.js";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { withServer } from "../server-connection.js";
import { analysisCacheOptions, withAnalysisCacheOptions, type AnalysisCacheFlags } from "./analysis-cache-options.js";
import { loadAnalysisCli } from "./analysis-cli-module.js";

export function registerGraphCommand(program: Command, ctx: CliContext): void {
  withAnalysisCacheOptions(
    program
      .command("graph")
      .description("Print the static dependency graph of the flow code, as JSON, Mermaid or Graphviz DOT.")
      .argument("[paths...]", "files or directories to read (default: the current directory)")
      .addOption(new Option("--format <format>", "how to print the graph").choices(["json", "mermaid", "dot"]).default("json"))
      .option("--registered", "print the graphs `tributary deploy` sent the server (one per project, as JSON) instead of reading the code"),
  ).action(async (paths: string[], options: AnalysisCacheFlags & { format: string; registered?: boolean }) => {
    if (options.registered) {
      if (paths.length > 0) throw new UsageError(`--registered prints what the server holds and reads no files; drop ${paths.join(", ")}.`);
      if (options.format !== "json") throw new UsageError(`--registered prints JSON only, got --format ${options.format}; drop --format.`);
      const graphs = await withServer(ctx, async (server) => (await server.request<RegisteredGraph[]>("GET", "/api/graph")).body);
      ctx.stdout.write(`${JSON.stringify(graphs, null, 2)}\n`);
      return;
    }
    const cli = loadAnalysisCli(ctx);
    // Through the caches a check keeps (its last result aside): after a check, the graph parses nothing again.
    const graph = { paths, format: options.format, cwd: ctx.cwd, stdout: ctx.stdout, stderr: ctx.stderr, ...analysisCacheOptions(options, ctx.cwd) };
    ctx.exitCode = cli ? await cli.runGraph(graph) : ExitCode.runFailed;
  });
}
