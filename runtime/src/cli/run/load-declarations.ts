/**
 * Loads a flow file in a child process (bundled, as `tributary run` does — user code never runs
 * in the CLI process) and returns the deployments and automations it declares, ready to register:
 * entrypoints relative to the workspace, and a parameter schema when one can be computed.
 */
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { displayPath, isInsideDir } from "../../file-paths.js";
import { UsageError } from "../../errors.js";
import type { AutomationInput, DeploymentInput } from "../../orchestrator/contract.js";
import type { JsonValue } from "../../store/records.js";
import { runChildPath, runtimeLibraryPath, type CliContext } from "../cli-context.js";
import { bundleFlowFile } from "./bundle-flow-file.js";
import type { ChildMessage, DeclaredItem } from "./child-protocol.js";
import { parameterSchemasIn } from "./parameter-schema.js";
import type { RunTarget } from "./run-target.js";

export interface FileDeclarations {
  deployments: DeploymentInput[];
  automations: AutomationInput[];
}

export async function loadDeclarations(ctx: CliContext, target: RunTarget): Promise<FileDeclarations> {
  const bundle = await bundleFlowFile(target, runtimeLibraryPath(ctx));
  try {
    const items = await collectInChild(ctx, target, bundle.file);
    const workDir = projectDirOf(target.file, ctx.cwd);
    const relative = displayPath(workDir, target.file);
    const deployments: DeploymentInput[] = [];
    const automations: AutomationInput[] = [];
    const schemas = items.some((item) => item.kind === "deployment") ? await parameterSchemasIn(ctx, target.file) : new Map();
    for (const item of items) {
      if (item.kind === "deployment") deployments.push(deploymentInput(item, workDir, relative, schemas));
      else automations.push(automationInput(item));
    }
    return { deployments, automations };
  } finally {
    await bundle.dispose();
  }
}

function collectInChild(ctx: CliContext, target: RunTarget, bundleFile: string): Promise<DeclaredItem[]> {
  return new Promise((resolve, reject) => {
    const child = fork(runChildPath(ctx), [], { cwd: ctx.cwd, env: ctx.env, stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let answer: ChildMessage | undefined;
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("message", (message: ChildMessage) => {
      if (message.type !== "ready") answer = message;
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (answer?.type === "declarations") resolve(answer.items);
      else if (answer?.type === "usage-error") reject(new UsageError(answer.message));
      else reject(new Error(`Loading ${target.displayFile} failed (${signal ?? `exit code ${code}`}). ${stderr.trim()}`));
    });
    child.send({ type: "collect", bundle: bundleFile, displayFile: target.displayFile, file: target.file });
  });
}

/**
 * The directory a deployment of `file` runs in: the current directory when the file lies inside
 * it, else the file's own project (the nearest directory above it with a package.json, else its
 * directory) — a deployment runs only code inside its workDir (server/deployment-code.ts).
 */
export function projectDirOf(file: string, cwd: string): string {
  if (isInsideDir(file, cwd)) return cwd;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}

function deploymentInput(
  item: DeclaredItem,
  workDir: string,
  relativeFile: string,
  schemas: ReadonlyMap<string, Record<string, JsonValue>>,
): DeploymentInput {
  const f = item.fields;
  const flowExport = item.flowExport ?? String(f.flowName);
  const input: DeploymentInput = {
    name: item.name,
    flowName: String(f.flowName),
    entrypoint: `${relativeFile}:${flowExport}`,
    workDir,
    schedules: (f.schedules ?? []) as DeploymentInput["schedules"] & JsonValue[],
    parameters: (f.parameters ?? {}) as Record<string, JsonValue>,
    tags: (f.tags ?? []) as string[],
    triggers: (f.triggers ?? []) as JsonValue[],
  };
  if (typeof f.description === "string") input.description = f.description;
  if (typeof f.paused === "boolean") input.paused = f.paused;
  if (typeof f.concurrencyLimit === "number") input.concurrencyLimit = f.concurrencyLimit;
  if (f.isolation === "shared" || f.isolation === "process") input.isolation = f.isolation;
  const schema = schemas.get(String(f.flowName));
  if (schema !== undefined) input.parameterSchema = schema;
  return input;
}

function automationInput(item: DeclaredItem): AutomationInput {
  const f = item.fields;
  const input: AutomationInput = { name: item.name, trigger: f.trigger ?? null, actions: (f.actions ?? []) as JsonValue[] };
  if (typeof f.enabled === "boolean") input.enabled = f.enabled;
  return input;
}
