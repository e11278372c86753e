/**
 * The graph commands, spread into the command table (commands.ts): the dependency graph of the
 * workspace, and the graph of one flow run (from a Flow Runs item, a run id, or a quick pick).
 */
import * as vscode from "vscode";
import { Commands, type ShowDependencyGraphArguments } from "../../../server/src/protocol.js";
import type { Ctx } from "../ctx.js";
import type { FlowRunRecord } from "../server/tributary-api.js";
import { formatDuration } from "./run-graph-model.js";

type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

export const graphCommands: Record<string, CommandFactory> = {
  [Commands.showDependencyGraph]: (ctx) => async (args?: ShowDependencyGraphArguments | vscode.Uri) => {
    // From the editor title the argument is the file's Uri; from a code lens, `{ focus }`.
    const focus = args !== undefined && !(args instanceof vscode.Uri) ? args.focus : undefined;
    await reportErrors(ctx, () => ctx.graphViews.dependencyGraph.show(focus));
  },
  "tributary.flowRun.showRunGraph": (ctx) => async (arg?: { run?: FlowRunRecord } | string) => {
    await reportErrors(ctx, async () => {
      const runId = typeof arg === "string" ? arg : arg?.run?.id ?? (await pickRecentRun(ctx));
      if (runId !== undefined) await ctx.graphViews.runGraph.show(runId);
    });
  },
};

async function pickRecentRun(ctx: Ctx): Promise<string | undefined> {
  const api = await ctx.orchestration.require();
  const runs = await api.listFlowRuns({ limit: 50, parentFlowRunId: null });
  if (runs.length === 0) {
    void vscode.window.showInformationMessage("No flow runs yet: run a flow (▶ Run flow over it) and then show its graph.");
    return undefined;
  }
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({
      label: `${run.flowName} (${run.name})`,
      description: run.state.name,
      detail: `${run.startTime ?? run.createdAt}${run.startTime !== undefined ? ` · ${formatDuration((run.endTime !== undefined ? Date.parse(run.endTime) : now) - Date.parse(run.startTime))}` : ""} · ${run.id}`,
      runId: run.id,
    })),
    { title: "Show Run Graph", placeHolder: "Pick a flow run", matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.runId;
}

async function reportErrors(ctx: Ctx, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    ctx.log.error(text);
    void vscode.window.showErrorMessage(text);
  }
}
