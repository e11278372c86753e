/**
 * Every command of the CLI, registered in this one place. A new verb (init, deploy, check,
 * graph, server, …) is a `register…(program, ctx)` function added to this table.
 */
import type { Command } from "commander";
import type { CliContext } from "./cli-context.js";
import { registerCheckCommand } from "./commands/check-command.js";
import { registerAutomationCommands } from "./commands/automation-commands.js";
import { registerDeployCommand } from "./commands/deploy-command.js";
import { registerDeploymentCommands } from "./commands/deployment-commands.js";
import { registerFlowRunControlCommands } from "./commands/flow-run-control-commands.js";
import { registerDaemonCommands } from "./commands/daemon-command.js";
import { registerConcurrencyLimitCommands } from "./commands/concurrency-limit-commands.js";
import { registerFlowRunCommands } from "./commands/flow-run-commands.js";
import { registerGraphCommand } from "./commands/graph-command.js";
import { registerInitCommand } from "./commands/init-command.js";
import { registerRunCommand } from "./commands/run-command.js";
import { registerServerCommands } from "./commands/server-command.js";
import { registerWorkerCommands } from "./commands/worker-command.js";

export type CommandRegistration = (program: Command, ctx: CliContext) => void;

export const commandRegistrations: readonly CommandRegistration[] = [
  registerInitCommand,
  registerRunCommand,
  registerFlowRunCommands,
  registerFlowRunControlCommands,
  registerConcurrencyLimitCommands,
  registerCheckCommand,
  registerGraphCommand,
  registerDaemonCommands,
  registerDeployCommand,
  registerDeploymentCommands,
  registerAutomationCommands,
  registerServerCommands,
  registerWorkerCommands,
];
