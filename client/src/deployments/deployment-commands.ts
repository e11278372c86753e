/**
 * The commands of deployments and automations: the `▶ Run deployment` and `⏱` lenses, and the
 * Deployments and Automations views (title bar and context menus). View commands receive the tree
 * element, or a deployment or automation name.
 */
import path from "node:path";
import * as vscode from "vscode";
import { Commands, type RunDeploymentArguments, type ShowDeploymentArguments } from "../../../server/src/protocol.js";
import type { JsonValue } from "../../../runtime/src/store/records.js";
import { ensureTrusted } from "../commands/ensure-trusted.js";
import type { Ctx } from "../ctx.js";
import { promptForParameters } from "../parameters/prompt-parameters.js";
import type { ParameterSchema } from "../parameters/parameter-prompts.js";
import type { AutomationRecord, DeploymentRecord } from "../server/tributary-api.js";
import type { AutomationNode } from "./automations-tree.js";
import type { DeploymentNode } from "./deployments-tree.js";
import { entrypointFile, findAutomationCall, findDeployCall } from "./find-declaration.js";
import { registerDeployments } from "./register-deployments.js";
import { RUN_WITH_PARAMETERS, runRefusal, SHOW_LOG } from "./run-refusal.js";

type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

type DeploymentArg = DeploymentNode | RunDeploymentArguments | ShowDeploymentArguments | string | undefined;
type AutomationArg = AutomationNode | string | undefined;

export const deploymentCommands: Record<string, CommandFactory> = {
  [Commands.runDeployment]: (ctx) => (arg?: RunDeploymentArguments) => runDeployment(ctx, deploymentName(arg)),
  [Commands.showDeployment]: (ctx) => (arg?: ShowDeploymentArguments) => showDeployment(ctx, deploymentName(arg)),
  "tributary.deployment.run": (ctx) => (arg?: DeploymentArg) => runDeployment(ctx, deploymentName(arg)),
  "tributary.deployment.runWithParameters": (ctx) => (arg?: DeploymentArg) => runDeploymentWithParameters(ctx, deploymentName(arg)),
  "tributary.deployment.pause": (ctx) => (arg?: DeploymentArg) => setDeploymentPaused(ctx, deploymentName(arg), true),
  "tributary.deployment.resume": (ctx) => (arg?: DeploymentArg) => setDeploymentPaused(ctx, deploymentName(arg), false),
  "tributary.deployment.reveal": (ctx) => (arg?: DeploymentArg) => revealDeployment(ctx, deploymentName(arg)),
  "tributary.deployments.refresh": (ctx) => () => ctx.deploymentViews.deployments.reload(),
  "tributary.deployments.sync": (ctx) => async () => {
    if (await ensureTrusted("register deployments")) await registerDeployments(ctx);
  },
  "tributary.automations.refresh": (ctx) => () => ctx.deploymentViews.automations.reload(),
  "tributary.automation.pause": (ctx) => (arg?: AutomationArg) => setAutomationEnabled(ctx, automationName(arg), false),
  "tributary.automation.resume": (ctx) => (arg?: AutomationArg) => setAutomationEnabled(ctx, automationName(arg), true),
  "tributary.automation.reveal": (ctx) => (arg?: AutomationArg) => revealAutomation(ctx, automationName(arg)),
};

function deploymentName(arg: DeploymentArg): string | undefined {
  if (typeof arg === "string") return arg;
  if (arg === undefined) return undefined;
  return "kind" in arg ? arg.deployment.name : arg.deploymentName;
}

function automationName(arg: AutomationArg): string | undefined {
  return typeof arg === "string" ? arg : arg?.automation.name;
}

/** The error's message; ApiError (by its stable name) carries the server's own sentence. */
function apiStatus(error: unknown): number | undefined {
  return error instanceof Error && error.name === "ApiError" ? (error as Error & { status: number }).status : undefined;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function runDeployment(ctx: Ctx, name: string | undefined, parameters?: Record<string, JsonValue>): Promise<void> {
  if (name === undefined) return void vscode.window.showErrorMessage("Choose a deployment to run: use ▶ Run deployment over a deploy(...) call, or the Deployments view.");
  if (!(await ensureTrusted("run deployments"))) return;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const api = await ctx.orchestration.require();
      const run = await api.runDeployment(name, parameters ? { parameters } : {});
      ctx.log.info(`Deployment run ${run.name} of ${name} started (${run.id})`);
      ctx.flowRuns.endings.watch(run, name);
      void vscode.window.showInformationMessage(`Deployment run ${run.name} of ${name} started.`, "Show in Flow Runs").then((choice) => {
        if (choice === "Show in Flow Runs") void showFlowRuns();
      });
      return;
    } catch (error) {
      const status = apiStatus(error);
      ctx.log.error(`Run of deployment ${name}: ${message(error)}`);
      if (status === 404 && attempt === 0) {
        const choice = await vscode.window.showWarningMessage(`Deployment ${name} is not registered with the orchestration server yet.`, "Register Deployments");
        if (choice !== "Register Deployments" || !(await registerDeployments(ctx))) return;
        continue;
      }
      if (status === 409 && attempt === 0) {
        const choice = await vscode.window.showWarningMessage(`Deployment ${name} is paused: it starts no runs until it is resumed.`, "Resume and Run");
        if (choice !== "Resume and Run" || !(await setDeploymentPaused(ctx, name, false))) return;
        continue;
      }
      const refusal = runRefusal(name, status, message(error));
      const choice = await vscode.window.showErrorMessage(refusal.message, ...refusal.actions);
      if (choice === RUN_WITH_PARAMETERS) await runDeploymentWithParameters(ctx, name, parameters);
      else if (choice === SHOW_LOG) ctx.log.show();
      return;
    }
  }
}

/** Flow Runs is another part's view: its command when registered, else focus the view itself. */
async function showFlowRuns(): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  await vscode.commands.executeCommand(commands.includes("tributary.openFlowRuns") ? "tributary.openFlowRuns" : "tributary.flowRuns.focus");
}

/** `given`: the parameters of a refused run, which the prompts start from (else the deployment's). */
async function runDeploymentWithParameters(ctx: Ctx, name: string | undefined, given?: Record<string, JsonValue>): Promise<void> {
  if (name === undefined) return;
  if (!(await ensureTrusted("run deployments"))) return;
  const deployment = await registered(ctx, name);
  if (!deployment) return;
  const parameters = await promptForParameters(`deployment ${name}`, deployment.parameterSchema as ParameterSchema | undefined, { ...deployment.parameters, ...given });
  if (parameters === undefined) return;
  await runDeployment(ctx, name, parameters);
}

/** The deployment's record; when it is not registered, offers to register, and says why not. */
async function registered(ctx: Ctx, name: string): Promise<DeploymentRecord | undefined> {
  try {
    const api = await ctx.orchestration.require();
    try {
      return await api.getDeployment(name);
    } catch (error) {
      if (apiStatus(error) !== 404) throw error;
      const choice = await vscode.window.showWarningMessage(`Deployment ${name} is not registered with the orchestration server yet.`, "Register Deployments");
      if (choice !== "Register Deployments" || !(await registerDeployments(ctx))) return undefined;
      return await api.getDeployment(name);
    }
  } catch (error) {
    await vscode.window.showErrorMessage(`Deployment ${name}: ${message(error)}`);
    return undefined;
  }
}

async function setDeploymentPaused(ctx: Ctx, name: string | undefined, paused: boolean): Promise<boolean> {
  if (name === undefined) return false;
  try {
    const api = await ctx.orchestration.require();
    await (paused ? api.pauseDeployment(name) : api.resumeDeployment(name));
    ctx.log.info(`Deployment ${name} ${paused ? "paused" : "resumed"}`);
    ctx.deploymentViews.deployments.reload();
    return true;
  } catch (error) {
    await vscode.window.showErrorMessage(`Deployment ${name} was not ${paused ? "paused" : "resumed"}: ${message(error)}`);
    return false;
  }
}

/** The ⏱ lens: the deployment in the Deployments view (registering it first when needed). */
async function showDeployment(ctx: Ctx, name: string | undefined): Promise<void> {
  if (name === undefined) return;
  const views = ctx.deploymentViews;
  let node = await views.deployments.find(name);
  if (!node && vscode.workspace.isTrusted) {
    const choice = await vscode.window.showInformationMessage(`Deployment ${name} is not registered with the orchestration server yet.`, "Register Deployments");
    if (choice === "Register Deployments" && (await registerDeployments(ctx))) node = await views.deployments.find(name);
  }
  if (!node) return;
  await views.deploymentsView.reveal(node, { select: true, focus: true });
}

async function revealDeployment(ctx: Ctx, name: string | undefined): Promise<void> {
  if (name === undefined) return;
  const node = await ctx.deploymentViews.deployments.find(name);
  const deployment = node?.deployment ?? (await registered(ctx, name));
  if (!deployment) return;
  const file = path.resolve(deployment.workDir, entrypointFile(deployment.entrypoint));
  const shortName = name.startsWith(`${deployment.flowName}/`) ? name.slice(deployment.flowName.length + 1) : name;
  await openAt(file, (text) => findDeployCall(text, shortName), `Deployment ${name} is declared in ${file}, which could not be opened`);
}

async function setAutomationEnabled(ctx: Ctx, name: string | undefined, enabled: boolean): Promise<void> {
  if (name === undefined) return;
  try {
    const api = await ctx.orchestration.require();
    const automation: AutomationRecord = await (enabled ? api.resumeAutomation(name) : api.pauseAutomation(name));
    ctx.log.info(`Automation ${name} ${enabled ? "resumed" : "paused"}`);
    ctx.deploymentViews.automations.update(automation);
  } catch (error) {
    await vscode.window.showErrorMessage(`Automation ${name} was not ${enabled ? "resumed" : "paused"}: ${message(error)}`);
  }
}

/** Automations do not record their file: the workspace's declaring files are searched for `automation("name"`. */
async function revealAutomation(ctx: Ctx, name: string | undefined): Promise<void> {
  if (name === undefined) return;
  const uris = await vscode.workspace.findFiles("**/*.{ts,mts,cts,js,mjs,cjs}", "{**/node_modules/**,**/dist/**,**/.tributary/**,**/.git/**}");
  for (const uri of uris) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (findAutomationCall(text, name) !== undefined) {
      await openAt(uri.fsPath, (t) => findAutomationCall(t, name), `Automation ${name} could not be opened`);
      return;
    }
  }
  ctx.log.info(`No workspace file declares automation ${name}`);
  await vscode.window.showInformationMessage(`No file of this workspace declares automation("${name}", …): it was registered from elsewhere.`);
}

async function openAt(file: string, find: (text: string) => number | undefined, failure: string): Promise<void> {
  try {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const offset = find(document.getText());
    const position = document.positionAt(offset ?? 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  } catch (error) {
    await vscode.window.showErrorMessage(`${failure}: ${message(error)}`);
  }
}
