/**
 * "Open Result": a flow run's whole result as a read-only JSON document (`tributary-result:`
 * scheme, language json through the `.json` ending). The list route gives only the start of a long
 * result, so the document reads the run itself (GET /api/flow-runs/{id}).
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { FlowRunRecord } from "../server/tributary-api.js";

export const RESULT_SCHEME = "tributary-result";

export class RunResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this);
  }

  /** `tributary-result:/<run id>/<flow> <run name> result.json` */
  static uriFor(run: Pick<FlowRunRecord, "id" | "flowName" | "name">): vscode.Uri {
    const title = `${run.flowName} ${run.name} result`.replace(/[/\\?#]/g, "-");
    return vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${run.id}/${title}.json` });
  }

  async open(run: FlowRunRecord): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(RunResultDocuments.uriFor(run));
    if (document.languageId !== "json") await vscode.languages.setTextDocumentLanguage(document, "json");
    return vscode.window.showTextDocument(document, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const runId = uri.path.split("/")[1] ?? "";
    const run = await (await this.ctx.orchestration.require()).getFlowRun(runId);
    if (run.result === undefined) return `// Flow run ${run.name} (${run.state.name}) has no result.\n`;
    return `${JSON.stringify(run.result, null, 2)}\n`;
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** The whole result of a run: the listed record's when it has it, else the server's. */
export async function wholeResult(ctx: Ctx, run: FlowRunRecord): Promise<FlowRunRecord["result"]> {
  if (run.result !== undefined || run.resultPreview === undefined) return run.result;
  return (await (await ctx.orchestration.require()).getFlowRun(run.id)).result;
}
