/**
 * Runs the `tributary` CLI in a child process, never inside the extension host: a flow run can then
 * be killed without harming the editor. The CLI is the workspace's own tributaryjs when it has one
 * (resolved from `packageFrom`, the flow file's folder, as Node would), else the bundled copy; the
 * process is the runtime flow-runtimes.ts chooses. `tributary.serverUrl` reaches the CLI as
 * TRIBUTARY_API_URL, and so does the local server when one runs.
 */
import { shellCommand } from "../../../runtime/src/shell-quote.js";
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { spawnOnRuntime } from "./spawn-on-runtime.js";

export interface CliResult {
  /** The exit code; null when the process was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Answers undefined when no runtime can run the CLI (the reason is already shown and logged). */
export async function runCli(ctx: Ctx, args: string[], cwd: string, token: vscode.CancellationToken, packageFrom = cwd): Promise<CliResult | undefined> {
  const copy = ctx.runtimes.for(packageFrom);
  const runtime = await ctx.flowRuntimes.choose(copy);
  if (runtime === undefined) return undefined;
  const cli = ctx.runtimes.use(copy, `tributary ${args[0] ?? ""}`, runtime).cliPath;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  // Runs report to the connected server (configured or local), so the views see them live.
  const server = await ctx.orchestration.connect();
  if (server) {
    env.TRIBUTARY_API_URL = server.url;
    if (server.token !== undefined) env.TRIBUTARY_API_TOKEN = server.token;
  } else if (ctx.config.serverUrl !== "") env.TRIBUTARY_API_URL = ctx.config.serverUrl;
  ctx.log.info(`Running: ${shellCommand(["tributary", ...args])} (in ${cwd})`);
  return new Promise((resolve, reject) => {
    const child = spawnOnRuntime(runtime, cli, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      for (const line of chunk.split("\n")) if (line.trim() !== "") ctx.log.info(`  ${line}`);
    });
    // SIGINT first: the CLI then marks the run Cancelled, as Ctrl-C in a terminal does.
    const cancel = token.onCancellationRequested(() => child.kill("SIGINT"));
    child.on("error", (error) => {
      cancel.dispose();
      reject(new Error(`Could not start ${runtime.label}: ${error.message}.`));
    });
    child.on("close", (code) => {
      cancel.dispose();
      resolve({ code, stdout, stderr });
    });
  });
}
