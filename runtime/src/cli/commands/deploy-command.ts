/**
 * `tributary deploy [files…]`: loads each flow file (bundled, in a child process), collects its
 * `deploy(...)` and `automation(...)` declarations, and registers them with the server (or the
 * workspace's store when no server runs), reporting created / updated / unchanged. Every file is
 * loaded before anything is registered, so a bad file writes nothing. Without files, the flow files
 * in the current directory that declare something are deployed.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { AutomationRecord, DeploymentRecord, UpsertResult } from "../../orchestrator/contract.js";
import type { CliContext } from "../cli-context.js";
import { loadDeclarations, type FileDeclarations } from "../run/load-declarations.js";
import { checkFlowFile, FLOW_FILE_EXTENSIONS, parseRunTarget } from "../run/run-target.js";
import { withServer, type ServerConnection } from "../server-connection.js";

export function registerDeployCommand(program: Command, ctx: CliContext): void {
  program
    .command("deploy")
    .description("Register the deployments and automations that flow files declare (updates in place).")
    .argument("[files...]", "flow files (default: those in the current directory that call deploy or automation)")
    .option("--json", "print what was registered as JSON")
    .action(async (files: string[], options: { json?: boolean }) => {
      const targets = (files.length > 0 ? files : declaringFiles(ctx.cwd)).map((file) => parseRunTarget(file, ctx.cwd));
      if (targets.length === 0) throw new UsageError("No flow file here declares a deployment or automation; name the files: tributary deploy flows.ts");
      for (const target of targets) checkFlowFile(target);
      const loaded: FileDeclarations = { deployments: [], automations: [] };
      for (const target of targets) {
        const found = await loadDeclarations(ctx, target);
        loaded.deployments.push(...found.deployments);
        loaded.automations.push(...found.automations);
      }
      checkDuplicates(loaded.deployments.map((d) => d.name), "deployment");
      checkDuplicates(loaded.automations.map((a) => a.name), "automation");
      await withServer(ctx, (server) => register(ctx, server, loaded, options.json === true));
    });
}

/** Registers what was loaded; prints one line per deployment and automation. */
export async function register(ctx: CliContext, server: ServerConnection, loaded: FileDeclarations, json: boolean): Promise<void> {
  const deployments = loaded.deployments.length
    ? (await server.request<{ results: UpsertResult<DeploymentRecord>[] }>("POST", "/api/deployments", { deployments: loaded.deployments })).body.results
    : [];
  const automations = loaded.automations.length
    ? (await server.request<{ results: UpsertResult<AutomationRecord>[] }>("POST", "/api/automations", { automations: loaded.automations })).body.results
    : [];
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ deployments, automations }, null, 2)}\n`);
    return;
  }
  if (deployments.length + automations.length === 0) {
    ctx.stdout.write("Nothing to register: these files declare no deployments or automations.\n");
    return;
  }
  for (const r of deployments) ctx.stdout.write(`${r.status.padEnd(9)} deployment ${r.name}\n`);
  for (const r of automations) ctx.stdout.write(`${r.status.padEnd(9)} automation ${r.name}\n`);
  const where = server.embedded ? `the store at ${server.embedded.store.location}` : server.url;
  ctx.stdout.write(`Registered with ${where}.\n`);
}

function checkDuplicates(names: string[], kind: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UsageError(`Two ${kind}s are named "${name}"; give each a name of its own.`);
    seen.add(name);
  }
}

/** Flow files in `dir` that import tributary and call deploy( or automation(. */
export function declaringFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => (FLOW_FILE_EXTENSIONS as readonly string[]).includes(path.extname(name)) && !name.endsWith(".d.ts") && !name.includes(".test."))
    .filter((name) => {
      const text = readFileSync(path.join(dir, name), "utf8");
      return /from\s+["']tributaryjs["']/.test(text) && /\b(deploy|automation)\s*\(/.test(text);
    })
    .sort();
}
