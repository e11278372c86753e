/**
 * Every command of the extension, as a table of factories `(ctx) => handler`, registered in one
 * place (rust-analyzer's client). The names match package.json's `contributes.commands` and the
 * commands the language server's code lenses carry.
 */
import * as vscode from "vscode";
import type { Ctx } from "./ctx.js";
import { runFlow } from "./commands/run-flow.js";
import { notYet } from "./commands/not-yet.js";

type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

const commands: Record<string, CommandFactory> = {
  "tributary.restartServer": (ctx) => () => ctx.restartServer(),
  "tributary.showLog": (ctx) => () => ctx.log.show(),
  "tributary.runFlow": runFlow,
  "tributary.runFlowWithParameters": notYet("Running a flow with parameters"),
  "tributary.runDeployment": notYet("Running a deployment"),
  "tributary.showDeployment": notYet("Showing a deployment"),
  "tributary.showDependencyGraph": notYet("The dependency graph view"),
};

export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(commands)) {
    ctx.pushExtension(vscode.commands.registerCommand(name, factory(ctx)));
  }
}
