/**
 * `tributary.runFlowWithParameters`: the `Run with parameters…` lens. Asks for each parameter of
 * the flow's schema, then runs it as `▶ Run flow` does, with `--params <json>`. Escape runs nothing.
 */
import * as vscode from "vscode";
import type { RunFlowArguments } from "../../../server/src/protocol.js";
import type { Ctx } from "../ctx.js";
import { promptForParameters } from "../parameters/prompt-parameters.js";
import { ensureTrusted } from "./ensure-trusted.js";
import { runFlow } from "./run-flow.js";

export const runFlowWithParameters = (ctx: Ctx) => async (args?: RunFlowArguments) => {
  if (args === undefined) {
    await vscode.window.showErrorMessage("Use the Run with parameters… lens over a flow to run it with parameters.");
    return;
  }
  if (!(await ensureTrusted("run flows"))) return;
  ctx.log.info(`Run flow ${args.flowName} with parameters: asking for ${Object.keys(args.parameterSchema?.properties ?? {}).join(", ") || "none"}`);
  const parameters = await promptForParameters(`flow ${args.flowName}`, args.parameterSchema);
  if (parameters === undefined) {
    ctx.log.info(`Run of flow ${args.flowName} with parameters cancelled`);
    return;
  }
  await runFlow(ctx)(args, Object.keys(parameters).length > 0 ? ["--params", JSON.stringify(parameters)] : []);
};
