/**
 * Every command of the extension, as a table of factories `(ctx) => handler`, registered in one
 * place (rust-analyzer's client). The lens commands are named once, in the language server's
 * protocol file; package.json's `contributes.commands` declares the same names.
 */
import * as vscode from "vscode";
import { Commands } from "../../server/src/protocol.js";
import type { Ctx } from "./ctx.js";
import { runFlow } from "./commands/run-flow.js";
import { installPackage } from "./commands/install-package.js";
import { flowRunCommands } from "./flow-runs/flow-run-commands.js";
import { runFlowWithParameters } from "./commands/run-flow-with-parameters.js";
import { deploymentCommands } from "./deployments/deployment-commands.js";
import { graphCommands } from "./graph/graph-commands.js";

type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

const commands: Record<string, CommandFactory> = {
  "tributary.restartServer": (ctx) => () => ctx.restartServer(),
  "tributary.showLog": (ctx) => () => ctx.log.show(),
  [Commands.runFlow]: runFlow,
  [Commands.runFlowWithParameters]: runFlowWithParameters,
  [Commands.installPackage]: installPackage,
  ...flowRunCommands,
  ...deploymentCommands,
  ...graphCommands,
};

export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(commands)) {
    ctx.pushExtension(vscode.commands.registerCommand(name, factory(ctx)));
  }
}
