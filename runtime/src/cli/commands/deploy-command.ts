/**
 * `tributary deploy [paths…]`: loads each flow file (bundled, in a child process), collects its own
 * `deploy(...)` and `automation(...)` declarations (not those of the files it imports), and
 * registers them with the server (or the workspace's store when no server runs), reporting
 * created / updated / unchanged. Every file is
 * loaded before anything is registered, so a bad file writes nothing. A folder is read as `tributary
 * check` reads it; without paths, the flow files in the current directory that declare something
 * are deployed.
 *
 * Then it sends the static dependency graph of the project those files belong to (PUT /api/graph,
 * what `tributary graph` computes, with the cycles) so the dashboard shows what was registered:
 * the analysis never runs the code, and when it fails the deploy still stands, with a warning.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { ProjectGraph, PutGraphRequest } from "../../orchestrator/contract.js";
import type { CliContext } from "../cli-context.js";
import { loadAnalysisCli } from "./analysis-cli-module.js";
import { loadDeclarations, type FileDeclarations } from "../run/load-declarations.js";
import { registerDeclarations, type Registration } from "../run/register-declarations.js";
import { checkFlowFile, FLOW_FILE_EXTENSIONS, parseRunTarget, type RunTarget } from "../run/run-target.js";
import { withServer, type ServerConnection } from "../server-connection.js";

export function registerDeployCommand(program: Command, ctx: CliContext): void {
  program
    .command("deploy")
    .description("Register the deployments and automations that flow files declare (updates in place).")
    .argument(
      "[paths...]",
      "flow files, or folders read as `tributary check` reads them (default: the flow files in the current directory that call deploy or automation)",
    )
    .option("--json", "print what was registered as JSON")
    .option("--no-graph", "do not send the project's static dependency graph to the server")
    .action(async (paths: string[], options: { json?: boolean; graph: boolean }) => {
      const targets = paths.length > 0 ? await deployTargets(ctx, paths) : declaringFiles(ctx.cwd).map((file) => parseRunTarget(file, ctx.cwd));
      if (targets.length === 0) {
        throw new UsageError(
          paths.length > 0
            ? `No flow file in ${paths.join(", ")} declares a deployment or automation; name the files that call deploy(...) or automation(...).`
            : "No flow file here declares a deployment or automation; name the files or a folder: tributary deploy flows/",
        );
      }
      for (const target of targets) checkFlowFile(target);
      // Each file contributes only what it declares itself (not what the files it imports declare),
      // so a deployment seen twice is two declarations of one name.
      const loaded: FileDeclarations = { deployments: [], automations: [] };
      for (const target of targets) {
        const found = await loadDeclarations(ctx, target);
        loaded.deployments.push(...found.deployments);
        loaded.automations.push(...found.automations);
      }
      checkDuplicates(loaded.deployments.map((d) => d.name), "deployment");
      checkDuplicates(loaded.automations.map((a) => a.name), "automation");
      await withServer(ctx, async (server) => {
        const registration = await registerDeclarations(server, loaded);
        const graph = options.graph ? await sendGraph(ctx, server, targets.map((t) => t.file)) : undefined;
        report(ctx, server, registration, graph, options.json === true);
      });
    });
}

/**
 * Files named stay as they are; a folder gives the flow files `tributary check <folder>` reads
 * (the project config's include/exclude applied) that call deploy(...) or automation(...).
 */
async function deployTargets(ctx: CliContext, paths: readonly string[]): Promise<RunTarget[]> {
  const targets: RunTarget[] = [];
  const seen = new Set<string>();
  const add = (target: RunTarget) => {
    if (seen.has(target.file)) return;
    seen.add(target.file);
    targets.push(target);
  };
  for (const spec of paths) {
    const full = path.resolve(ctx.cwd, spec);
    if (!existsSync(full) || !statSync(full).isDirectory()) {
      add(parseRunTarget(spec, ctx.cwd));
      continue;
    }
    const analysis = loadAnalysisCli(ctx, true);
    if (analysis === undefined) throw new UsageError(`Deploying a folder (${spec}) needs the analysis module, which is not built; run \`npm run build\` or name the files.`);
    const files = await analysis.flowFiles([full], ctx.cwd);
    if (typeof files === "string") throw new UsageError(files);
    for (const file of files) {
      if (declaresSomething(readFileSync(file, "utf8"))) add({ file, displayFile: path.relative(ctx.cwd, file) || file });
    }
  }
  return targets;
}

/** What PUT /api/graph answered. */
interface SentGraph {
  root: string;
  nodes: number;
  edges: number;
  cycles: number;
}

/**
 * Computes and sends the graph of the deployed files' project; undefined, after a warning on
 * stderr, when it could not be made or sent (the registration already stands).
 */
async function sendGraph(ctx: CliContext, server: ServerConnection, files: string[]): Promise<SentGraph | undefined> {
  const warn = (why: string) => {
    ctx.stderr.write(`tributary: warning: the dependency graph was not sent to the server (${why}); the deployments and automations are registered. Pass --no-graph to skip it.\n`);
    return undefined;
  };
  const analysis = loadAnalysisCli(ctx, true);
  if (analysis === undefined) return warn("the analysis module is not built; run `npm run build`");
  let graph: ProjectGraph | string;
  try {
    graph = await analysis.projectGraph(files, ctx.cwd);
  } catch (error) {
    return warn(`the analysis failed: ${(error as Error).message}`);
  }
  if (typeof graph === "string") return warn(graph);
  const request: PutGraphRequest = {
    ...graph,
    source: { files: files.map((file) => path.relative(graph.root, file).split(path.sep).join("/")), deployedAt: new Date().toISOString(), cwd: ctx.cwd },
  };
  try {
    return (await server.request<SentGraph>("PUT", "/api/graph", request)).body;
  } catch (error) {
    return warn(`the server refused it: ${(error as Error).message}`);
  }
}

/** Prints one line per deployment and automation, and one for the graph sent. */
function report(ctx: CliContext, server: ServerConnection, registration: Registration, graph: SentGraph | undefined, json: boolean): void {
  const { deployments, automations } = registration;
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ deployments, automations, ...(graph ? { graph } : {}) }, null, 2)}\n`);
    return;
  }
  if (graph) {
    const cycles = graph.cycles === 0 ? "no cycles" : `${graph.cycles} cycle${graph.cycles === 1 ? "" : "s"}: \`tributary check\` shows ${graph.cycles === 1 ? "it" : "them"}`;
    ctx.stdout.write(`Sent the dependency graph of ${path.relative(ctx.cwd, graph.root) || "."} (${graph.nodes} nodes, ${graph.edges} edges, ${cycles}).\n`);
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

/** Whether flow code calls deploy( or automation( (a cheap text filter before loading it). */
export function declaresSomething(text: string): boolean {
  return /\b(deploy|automation)\s*\(/.test(text);
}

/** Flow files in `dir` that import tributary and call deploy( or automation(. */
export function declaringFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => (FLOW_FILE_EXTENSIONS as readonly string[]).includes(path.extname(name)) && !name.endsWith(".d.ts") && !name.includes(".test."))
    .filter((name) => {
      const text = readFileSync(path.join(dir, name), "utf8");
      return /from\s+["']tributaryjs["']/.test(text) && declaresSomething(text);
    })
    .sort();
}
