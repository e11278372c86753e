/**
 * `tributary automation ls | inspect <name> | pause <name> | resume <name>` over the stored
 * automations (the server's automation engine evaluates them).
 */
import type { Command } from "commander";
import type { AutomationRecord } from "../../orchestrator/contract.js";
import type { CliContext } from "../cli-context.js";
import { formatTable } from "../render/table.js";
import { withServer } from "../server-connection.js";

const route = (name: string) => `/api/automations/${encodeURIComponent(name)}`;

export function registerAutomationCommands(program: Command, ctx: CliContext): void {
  const automation = program.command("automation").description("List, inspect, pause and resume automations.");
  automation
    .command("ls")
    .description("List the registered automations.")
    .option("--json", "print the automations as a JSON array")
    .action((options: { json?: boolean }) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<AutomationRecord[]>("GET", "/api/automations");
        if (options.json) return void ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        if (body.length === 0) return void ctx.stdout.write("No automations yet. Declare one with automation(name, { trigger, actions }) and run `tributary deploy <file>`.\n");
        const rows = body.map((a) => [a.name, a.enabled ? "enabled" : "paused", triggerType(a), a.actions.map(actionType).join(", ")]);
        ctx.stdout.write(`${formatTable(["NAME", "STATUS", "TRIGGER", "ACTIONS"], rows).join("\n")}\n`);
      }),
    );
  automation
    .command("inspect")
    .description("Show one automation: its trigger and actions.")
    .argument("<name>", "the automation's name")
    .option("--json", "print the automation as JSON")
    .action((name: string, options: { json?: boolean }) =>
      withServer(ctx, async (server) => {
        const { body: a } = await server.request<AutomationRecord>("GET", route(name));
        if (options.json) return void ctx.stdout.write(`${JSON.stringify(a, null, 2)}\n`);
        const lines = [
          `Automation  ${a.name} (${a.id})`,
          `Status      ${a.enabled ? "enabled" : "paused"}`,
          `Trigger     ${JSON.stringify(a.trigger)}`,
          "Actions",
          ...a.actions.map((action, i) => `  ${i + 1}. ${JSON.stringify(action)}`),
        ];
        ctx.stdout.write(`${lines.join("\n")}\n`);
      }),
    );
  for (const [verb, enabled] of [["pause", false], ["resume", true]] as const) {
    automation
      .command(verb)
      .description(enabled ? "Resume a paused automation." : "Pause an automation: its trigger is not evaluated until it is resumed.")
      .argument("<name>", "the automation's name")
      .action((name: string) =>
        withServer(ctx, async (server) => {
          const { body } = await server.request<AutomationRecord>("POST", `${route(name)}/${verb}`);
          ctx.stdout.write(`Automation ${body.name} is ${body.enabled ? "enabled" : "paused"}.\n`);
        }),
      );
  }
}

function triggerType(a: AutomationRecord): string {
  return String((a.trigger as { type?: unknown } | null)?.type ?? "?");
}

function actionType(action: unknown): string {
  return String((action as { type?: unknown } | null)?.type ?? "?");
}
