/**
 * `tributary flow-run cancel|retry|resume <id>`, added to the `flow-run` group, over the server's
 * API: a run the server's worker executes is cancelled through its process; a finished deployment
 * run is scheduled again under the same id; a paused run (pauseFlowRun) goes Running in the store,
 * where the process that executes it, whichever it is, finds it.
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
    .argument("<id>", "the run's id, a unique prefix of it, or its name")
    .action((id: string) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<FlowRunRecord>("POST", `/api/flow-runs/${encodeURIComponent(id)}/cancel`);
        ctx.stdout.write(`Flow run ${body.name} (${body.id}): ${body.state.type === "CANCELLED" ? "Cancelled" : `cancellation requested (${body.state.name})`}.\n`);
      }),
    );
  flowRun
    .command("retry")
    .description("Run a finished deployment run again, under the same id.")
    .argument("<id>", "the run's id, a unique prefix of it, or its name")
    .action((id: string) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<FlowRunRecord>("POST", `/api/flow-runs/${encodeURIComponent(id)}/retry`);
        ctx.stdout.write(`Flow run ${body.name} (${body.id}) is ${body.state.name} again.${server.embedded ? " Start `tributary server start` to execute it." : ""}\n`);
      }),
    );
  flowRun
    .command("resume")
    .description("Resume a flow run that paused itself (pauseFlowRun): it goes Running and its flow carries on.")
    .argument("<id>", "the run's id, a unique prefix of it, or its name")
    .action((id: string) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<FlowRunRecord>("POST", `/api/flow-runs/${encodeURIComponent(id)}/resume`);
        ctx.stdout.write(`Flow run ${body.name} (${body.id}) resumed: its flow carries on within a second.\n`);
      }),
    );
}
