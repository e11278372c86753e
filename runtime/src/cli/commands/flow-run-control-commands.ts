/**
 * `tributary flow-run cancel <id>` and `flow-run retry <id>`, added to the `flow-run` group, over
 * the server's API: a run the server's worker executes is cancelled through its process; a
 * finished deployment run is scheduled again under the same id.
 */
import { Command } from "commander";
import type { FlowRunRecord } from "../../store/records.js";
import type { CliContext } from "../cli-context.js";
import { withServer } from "../server-connection.js";

export function registerFlowRunControlCommands(program: Command, ctx: CliContext): void {
  const flowRun = program.commands.find((command) => command.name() === "flow-run") ?? program.command("flow-run");
  flowRun
    .command("cancel")
    .description("Cancel a flow run that is scheduled or running (it ends Cancelled).")
    .argument("<id>", "the run's id or a unique prefix of it")
    .action((id: string) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<FlowRunRecord>("POST", `/api/flow-runs/${encodeURIComponent(id)}/cancel`);
        ctx.stdout.write(`Flow run ${body.name} (${body.id}): ${body.state.type === "CANCELLED" ? "Cancelled" : `cancellation requested (${body.state.name})`}.\n`);
      }),
    );
  flowRun
    .command("retry")
    .description("Run a finished deployment run again, under the same id.")
    .argument("<id>", "the run's id or a unique prefix of it")
    .action((id: string) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<FlowRunRecord>("POST", `/api/flow-runs/${encodeURIComponent(id)}/retry`);
        ctx.stdout.write(`Flow run ${body.name} (${body.id}) is ${body.state.name} again.${server.embedded ? " Start `tributary server start` to execute it." : ""}\n`);
      }),
    );
}
