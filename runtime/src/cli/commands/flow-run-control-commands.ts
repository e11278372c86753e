/**
 * `tributary flow-run cancel|retry|resume <id>`, added to the `flow-run` group, over the server's
 * API, which takes `<id>` as `inspect` and `logs` do (the id, a unique prefix of it, or the run's
 * name): a run the server's worker executes is cancelled through its process; a finished
 * deployment run is scheduled again under the same id; a paused run (pauseFlowRun) goes Running in
 * the store, where the process that executes it, whichever it is, finds it. With no server
 * running, `retry` runs the run from this command on the embedded default, as `deployment run`
 * does, and shows it as `tributary run` does.
 */
import { Command } from "commander";
import type { FlowRunRecord } from "../../store/records.js";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { ServerRunWatch } from "../run/watch-server-run.js";
import { withServer } from "../server-connection.js";

const route = (id: string, verb: string) => `/api/flow-runs/${encodeURIComponent(id)}/${verb}`;

export function registerFlowRunControlCommands(program: Command, ctx: CliContext): void {
  const flowRun = program.commands.find((command) => command.name() === "flow-run") ?? program.command("flow-run");
  flowRun
    .command("cancel")
    .description("Cancel a flow run that is scheduled or running (it ends Cancelled).")
    .argument("<id>", "the run's id, a unique prefix of it, or the run's name")
    .action((id: string) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<FlowRunRecord>("POST", route(id, "cancel"));
        ctx.stdout.write(`Flow run ${body.name} (${body.id}): ${body.state.type === "CANCELLED" ? "Cancelled" : `cancellation requested (${body.state.name})`}.\n`);
      }),
    );
  flowRun
    .command("retry")
    .description("Run a finished deployment run again, under the same id; without a server running, run it here and wait.")
    .argument("<id>", "the run's id, a unique prefix of it, or the run's name")
    .action(async (id: string) => {
      ctx.exitCode = await withServer(
        ctx,
        async (server) => {
          // Without a running server nothing else would execute the run: this command does, and waits.
          const watching = server.embedded ? await ServerRunWatch.open(ctx, server, { json: false, graceMs: 0 }) : undefined;
          try {
            const { body } = await server.request<FlowRunRecord>("POST", route(id, "retry"));
            if (watching) return await watching.follow(body);
            ctx.stdout.write(`Flow run ${body.name} (${body.id}) is ${body.state.name} again.\n`);
            return ExitCode.ok;
          } finally {
            watching?.close();
          }
        },
        { worker: true },
      );
    });
  flowRun
    .command("resume")
    .description("Resume a flow run that paused itself (pauseFlowRun): it goes Running and its flow carries on.")
    .argument("<id>", "the run's id, a unique prefix of it, or the run's name")
    .action((id: string) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<FlowRunRecord>("POST", route(id, "resume"));
        ctx.stdout.write(`Flow run ${body.name} (${body.id}) resumed: its flow carries on within a second.\n`);
      }),
    );
}
