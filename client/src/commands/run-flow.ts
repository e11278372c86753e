/**
 * `tributary.runFlow`: the `▶ Run flow` lens. Runs `tributary run <file>:<export> --json` through
 * the CLI of the tributaryjs the file resolves (else the bundled one) in a child process, with a cancellable progress notification, and says how the
 * run ended. Refused in an untrusted workspace: running executes the workspace's code.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { RunFlowArguments } from "../../../server/src/protocol.js";
import type { Ctx } from "../ctx.js";
import { runCli } from "../run/cli-process.js";
import { parseFlowRunJson, summarizeFlowRun } from "../run/flow-run-summary.js";
import { ensureTrusted } from "./ensure-trusted.js";
import { trackLaunch } from "../flow-runs/flow-run-commands.js";

/** `cliArgs` go before `--json`: `--params <json>` from Run with parameters. */
export const runFlow = (ctx: Ctx) => async (args?: RunFlowArguments, cliArgs: readonly string[] = []) => {
  if (!(await ensureTrusted("run flows"))) return;
  const target = args ?? activeFileTarget();
  if (target === undefined) {
    await vscode.window.showErrorMessage("Open a flow file, or use the ▶ Run flow lens over a flow, to run it.");
    return;
  }
  const spec = `${target.file}:${target.exportName ?? target.flowName}`;
  const cwd = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target.file))?.uri.fsPath ?? path.dirname(target.file);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running flow ${target.flowName}…`, cancellable: true },
    (_progress, token) => trackLaunch(ctx, target.flowName, token, (linked) => runCli(ctx, ["run", spec, ...cliArgs, "--json"], cwd, linked, path.dirname(target.file))),
  );
  // No runtime to run it with: already shown, with what to install.
  if (result === undefined) return;
  const run = parseFlowRunJson(result.stdout);
  if (run === undefined) {
    const reason = result.stderr.trim().split("\n").pop() || `the CLI exited with code ${String(result.code)}`;
    ctx.log.error(`Run of ${spec} failed: ${reason}`);
    await showWithLog(ctx, "error", `Flow ${target.flowName} did not run: ${reason}`);
    return;
  }
  const summary = summarizeFlowRun(run);
  ctx.log.info(summary);
  await showWithLog(ctx, run.state.type === "COMPLETED" ? "info" : "error", summary);
};

function activeFileTarget(): RunFlowArguments | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.uri.scheme !== "file") return undefined;
  return { file: document.uri.fsPath, exportName: undefined, flowName: path.basename(document.uri.fsPath) };
}

async function showWithLog(ctx: Ctx, level: "info" | "error", message: string): Promise<void> {
  const show = level === "info" ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  if ((await show(message, "Show Log")) === "Show Log") ctx.log.show();
}
