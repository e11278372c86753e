/**
 * The commands of the Flow Runs view and its items, as one table of factories `(ctx) => handler`
 * that commands.ts spreads into its own. An item command takes the tree element (it carries
 * `run`), a run id, or nothing (then the view's selection). Failures are shown, never swallowed.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { runCli } from "../run/cli-process.js";
import { parseFlowRunJson, summarizeFlowRun } from "../run/flow-run-summary.js";
import type { FlowRunRecord } from "../server/tributary-api.js";
import { ensureTrusted } from "../commands/ensure-trusted.js";
import type { FlowRunsElement } from "./flow-runs-model.js";
import { splitEntrypoint } from "./flow-definition.js";
import { findFlowDefinition } from "./reveal-flow.js";
import { wholeResult } from "./run-result-documents.js";

type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

const STATE_CHOICES: { label: string; value: string; description?: string }[] = [
  { label: "Running", value: "RUNNING", description: "also Retrying" },
  { label: "Completed", value: "COMPLETED", description: "also Cached" },
  { label: "Failed", value: "FAILED", description: "also TimedOut" },
  { label: "Cancelled", value: "CANCELLED" },
  { label: "Crashed", value: "CRASHED" },
  { label: "Scheduled", value: "SCHEDULED", description: "also Late, AwaitingRetry, AwaitingConcurrencySlot" },
  { label: "Late", value: "Late" },
  { label: "Pending", value: "PENDING" },
  { label: "Paused", value: "PAUSED" },
  { label: "Cancelling", value: "CANCELLING" },
];

/** Runs `body`, showing a failure as an error message (and in the log). */
const guarded =
  (what: string, body: (ctx: Ctx, ...args: any[]) => Promise<unknown>): CommandFactory =>
  (ctx) =>
  async (...args: any[]) => {
    try {
      return await body(ctx, ...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.error(`${what}: ${message}`);
      void vscode.window.showErrorMessage(`${what}: ${message}`);
      return undefined;
    }
  };

export const flowRunCommands: Record<string, CommandFactory> = {
  "tributary.openFlowRuns": () => () => vscode.commands.executeCommand("tributary.flowRuns.focus"),
  "tributary.startLocalServer": guarded("Could not connect to the orchestration server", async (ctx) => {
    await ctx.orchestration.reconnect();
    await ctx.orchestration.require();
    ctx.flowRuns.view.refresh();
  }),
  "tributary.flowRuns.refresh": (ctx) => () => ctx.flowRuns.view.refresh(),
  "tributary.flowRuns.loadMore": guarded("Could not load more flow runs", (ctx) => ctx.flowRuns.view.loadMore()),
  "tributary.flowRuns.filterByFlow": guarded("Could not filter flow runs", async (ctx) => {
    const names = ctx.flowRuns.view.model.flowNamesSeen();
    if (names.length === 0) {
      void vscode.window.showInformationMessage("No flow runs are loaded yet: there is no flow to filter by.");
      return;
    }
    const current = ctx.flowRuns.view.model.filter;
    const picked = await vscode.window.showQuickPick(
      names.map((name) => ({ label: name, picked: name === current.flowName })),
      { title: "Show the runs of one flow", placeHolder: "Flow name" },
    );
    if (picked) await ctx.flowRuns.view.setFilter({ ...current, flowName: picked.label });
  }),
  "tributary.flowRuns.filterByState": guarded("Could not filter flow runs", async (ctx) => {
    const current = ctx.flowRuns.view.model.filter;
    const picked = await vscode.window.showQuickPick(STATE_CHOICES, { title: "Show the runs in one state", placeHolder: "State" });
    if (picked) await ctx.flowRuns.view.setFilter({ ...current, state: picked.value });
  }),
  "tributary.flowRuns.clearFilter": (ctx) => () => ctx.flowRuns.view.setFilter({}),
  "tributary.flowRuns.clearHistory": guarded("Could not clear the flow run history", async (ctx) => {
    const api = await ctx.orchestration.require();
    const choice = await vscode.window.showWarningMessage(
      `Delete every finished flow run (Completed, Failed, Cancelled, Crashed) from ${api.url}, with its task runs and logs?`,
      { modal: true, detail: "Runs that are scheduled or still running are kept. This cannot be undone." },
      "Delete Finished Runs",
    );
    if (choice !== "Delete Finished Runs") return;
    const { deleted } = await api.clearFlowRuns();
    ctx.flowRuns.view.refresh();
    void vscode.window.showInformationMessage(`Deleted ${deleted} finished flow run${deleted === 1 ? "" : "s"}.`);
  }),
  "tributary.flowRun.cancel": guarded("Could not cancel the flow run", async (ctx, arg?: unknown) => {
    const run = await resolveRun(ctx, arg);
    if (!run) return;
    // A run this extension started runs in its own `tributary run`: interrupting that ends it Cancelled.
    if (ctx.flowRuns.view.launched.cancel(run.id)) {
      ctx.log.info(`Cancelling flow run ${run.name} (${run.id}) through the command that runs it`);
      return;
    }
    const api = await ctx.orchestration.require();
    await api.cancelFlowRun(run.id);
    ctx.log.info(`Asked the server to cancel flow run ${run.name} (${run.id})`);
  }),
  "tributary.flowRun.resume": guarded("Could not resume the flow run", async (ctx, arg?: unknown) => {
    const run = await resolveRun(ctx, arg);
    if (!run) return;
    // Whichever process runs it (this extension's `tributary run`, a terminal's, the server's
    // worker) reads the resume from the store the server writes.
    const api = await ctx.orchestration.require();
    const resumed = await api.resumeFlowRun(run.id);
    ctx.log.info(`Resumed flow run ${resumed.name} (${resumed.id})`);
    void vscode.window.setStatusBarMessage(`Flow run ${resumed.name} resumed.`, 5000);
  }),
  "tributary.flowRun.retry": guarded("Could not retry the flow run", async (ctx, arg?: unknown) => {
    if (!(await ensureTrusted("retry flow runs"))) return;
    const run = await resolveRun(ctx, arg);
    if (!run) return;
    // Only a deployment run can be retried under the same id (the server's worker runs it again).
    if (run.deploymentId === undefined) return runAgain(ctx, run);
    const api = await ctx.orchestration.require();
    const retried = await api.retryFlowRun(run.id);
    void vscode.window.setStatusBarMessage(`Flow run ${retried.name} is ${retried.state.name} again.`, 5000);
  }),
  "tributary.flowRun.runAgain": guarded("Could not run the flow again", async (ctx, arg?: unknown) => {
    if (!(await ensureTrusted("run flows"))) return;
    const run = await resolveRun(ctx, arg);
    if (run) await runAgain(ctx, run);
  }),
  "tributary.flowRun.showLogs": guarded("Could not show the logs", async (ctx, arg?: unknown) => {
    const run = await resolveRun(ctx, arg);
    if (run) await ctx.flowRuns.logs.open(run);
  }),
  "tributary.flowRun.revealFlow": guarded("Could not reveal the flow", async (ctx, arg?: unknown) => {
    const run = await resolveRun(ctx, arg);
    if (!run) return;
    const location = await findFlowDefinition(run);
    if (!location) {
      void vscode.window.showWarningMessage(`The definition of flow ${run.flowName} was not found in the workspace${run.entrypoint ? ` (entrypoint ${run.entrypoint})` : ""}.`);
      return;
    }
    const position = new vscode.Position(location.line, location.character);
    await vscode.window.showTextDocument(location.uri, { selection: new vscode.Range(position, position) });
  }),
  "tributary.flowRun.openResult": guarded("Could not open the result", async (ctx, arg?: unknown) => {
    const run = await resolveRun(ctx, arg);
    if (run) await ctx.flowRuns.results.open(run);
  }),
  "tributary.flowRun.copyResult": guarded("Could not copy the result", async (ctx, arg?: unknown) => {
    const run = await resolveRun(ctx, arg);
    if (!run) return;
    const result = await wholeResult(ctx, run);
    if (result === undefined) {
      void vscode.window.showInformationMessage(`Flow run ${run.name} has no result (${run.state.name}).`);
      return;
    }
    // A string is copied as the text it is; any other value as JSON.
    await vscode.env.clipboard.writeText(typeof result === "string" ? result : JSON.stringify(result, null, 2));
    void vscode.window.setStatusBarMessage(`Copied the result of flow run ${run.name}.`, 4000);
  }),
  "tributary.flowRun.copyId": guarded("Could not copy the run id", async (ctx, arg?: unknown) => {
    const run = await resolveRun(ctx, arg);
    if (!run) return;
    await vscode.env.clipboard.writeText(run.id);
    void vscode.window.setStatusBarMessage(`Copied the id of flow run ${run.name}: ${run.id}`, 4000);
  }),
};

/** The run a command is about: the element's, the id's, or the one selected in Flow Runs. */
async function resolveRun(ctx: Ctx, arg: unknown): Promise<FlowRunRecord | undefined> {
  if (typeof arg === "string" && arg.trim() !== "") return (await ctx.orchestration.require()).getFlowRun(arg.trim());
  if (isElement(arg)) return arg.kind === "flowRun" ? arg.run : arg.kind === "taskRun" ? arg.parent.run : undefined;
  const selected = ctx.flowRuns.view.treeView.selection[0];
  if (selected?.kind === "flowRun") return selected.run;
  if (selected?.kind === "taskRun") return selected.parent.run;
  void vscode.window.showInformationMessage("Select a flow run in Flow Runs first.");
  return undefined;
}

function isElement(value: unknown): value is FlowRunsElement {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === "flowRun" || kind === "taskRun" || kind === "loadMore";
}

/**
 * Runs the flow of `run` again with its parameters: a deployment run through the server, a local
 * run through `tributary run <entrypoint>` like ▶ Run flow.
 */
async function runAgain(ctx: Ctx, run: FlowRunRecord): Promise<void> {
  if (run.deploymentId !== undefined) {
    const api = await ctx.orchestration.require();
    const name = run.chain?.findLast((link) => link.kind === "deployment")?.name ?? (await api.listDeployments()).find((d) => d.id === run.deploymentId)?.name;
    if (name === undefined) throw new Error(`the deployment of flow run ${run.name} (id ${run.deploymentId}) is no longer registered.`);
    const created = await api.runDeployment(name, { parameters: run.parameters });
    ctx.flowRuns.endings.watch(created, name);
    void vscode.window.setStatusBarMessage(`Started flow run ${created.name} of deployment ${name}.`, 5000);
    return;
  }
  if (run.entrypoint === undefined) throw new Error(`flow run ${run.name} does not say where its flow is defined (no entrypoint); run it from its file with ▶ Run flow.`);
  const { file } = splitEntrypoint(run.entrypoint);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const cwd = path.isAbsolute(file) ? (vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file)) : folder;
  if (cwd === undefined) throw new Error(`open the workspace of ${run.entrypoint} to run it again.`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running flow ${run.flowName} again…`, cancellable: true },
    (_progress, token) => trackLaunch(ctx, run.flowName, token, (linked) => runCli(ctx, ["run", run.entrypoint!, "--params", JSON.stringify(run.parameters), "--json"], cwd, linked)),
  );
  // No runtime to run it with: already shown, with what to install.
  if (result === undefined) return;
  const ended = parseFlowRunJson(result.stdout);
  if (ended === undefined) {
    const reason = result.stderr.trim().split("\n").pop() || `the CLI exited with code ${String(result.code)}`;
    throw new Error(`flow ${run.flowName} did not run: ${reason}`);
  }
  const summary = summarizeFlowRun(ended);
  ctx.log.info(summary);
  void (ended.state.type === "COMPLETED" ? vscode.window.showInformationMessage(summary) : vscode.window.showErrorMessage(summary));
}

/**
 * Runs a `tributary run` command as a launch of `flowName`: its run is revealed in Flow Runs when
 * the stream reports it, and Cancel on that run interrupts the command (as the progress's own
 * Cancel button does).
 */
export async function trackLaunch<T>(ctx: Ctx, flowName: string, token: vscode.CancellationToken, body: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const source = new vscode.CancellationTokenSource();
  const forward = token.onCancellationRequested(() => source.cancel());
  const launch = ctx.flowRuns.view.launched.begin(flowName, () => source.cancel());
  try {
    return await body(source.token);
  } finally {
    ctx.flowRuns.view.launched.end(launch);
    forward.dispose();
    source.dispose();
  }
}
