/**
 * `tributary deployment ls | inspect <name> | run <name> [--param k=v]… [--params JSON] [--watch] |
 * pause <name> | resume <name>`, over the server's API (the running server, or one started in
 * this process on the workspace's store).
 */
import type { Command } from "commander";
import { compileSchedule } from "../../schedules/schedule.js";
import type { DeploymentRecord } from "../../orchestrator/contract.js";
import { UsageError } from "../../errors.js";
import { isFinal } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { RunFollower } from "../run/follow-runs.js";
import { parseRunParameters } from "../run/run-parameters.js";
import { formatParameterSchema } from "../render/parameter-schema.js";
import { formatTable } from "../render/table.js";
import { withServer, type ServerConnection } from "../server-connection.js";

const route = (name: string) => `/api/deployments/${encodeURIComponent(name)}`;

export function registerDeploymentCommands(program: Command, ctx: CliContext): void {
  const deployment = program.command("deployment").description("List, inspect, run, pause and resume deployments.");
  deployment
    .command("ls")
    .description("List the registered deployments.")
    .option("--json", "print the deployments as a JSON array")
    .action((options: { json?: boolean }) =>
      withServer(ctx, async (server) => {
        const { body } = await server.request<DeploymentRecord[]>("GET", "/api/deployments");
        if (options.json) return void ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        if (body.length === 0) return void ctx.stdout.write("No deployments yet. Declare one with deploy(flow, { name }) and run `tributary deploy <file>`.\n");
        const rows = body.map((d) => [d.name, describeSchedules(d), d.paused ? "paused" : "active", d.concurrencyLimit?.toString() ?? "-", d.entrypoint]);
        ctx.stdout.write(`${formatTable(["NAME", "SCHEDULE", "STATUS", "LIMIT", "ENTRYPOINT"], rows).join("\n")}\n`);
      }),
    );
  deployment
    .command("inspect")
    .description("Show one deployment.")
    .argument("<name>", "the deployment, as <flow-name>/<deployment-name>")
    .option("--json", "print the deployment as JSON")
    .action((name: string, options: { json?: boolean }) =>
      withServer(ctx, async (server) => {
        const { body: d } = await server.request<DeploymentRecord>("GET", route(name));
        if (options.json) return void ctx.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
        const lines = [
          `Deployment   ${d.name} (${d.id})`,
          `Flow         ${d.flowName}`,
          `Entrypoint   ${d.entrypoint} in ${d.workDir}`,
          `Status       ${d.paused ? "paused" : "active"}`,
          `Schedule     ${describeSchedules(d)}`,
          `Parameters   ${JSON.stringify(d.parameters)}`,
          `Tags         ${d.tags.join(", ") || "-"}`,
          `Concurrency  ${d.concurrencyLimit ?? "unlimited"}`,
          `Triggers     ${d.triggers.length}`,
          ...(d.description !== undefined ? [`Description  ${d.description}`] : []),
          "",
          "Parameter schema",
          ...formatParameterSchema(d.parameterSchema),
        ];
        ctx.stdout.write(`${lines.join("\n")}\n`);
      }),
    );
  deployment
    .command("run")
    .description("Create a run of a deployment; with --watch, follow it and the runs it triggers.")
    .argument("<name>", "the deployment, as <flow-name>/<deployment-name>")
    .option("--param <key=value>", "a parameter, coerced by the flow's parameter types (else JSON when it parses as JSON, else text); repeatable", collect)
    .option("--params <json>", "the parameters as one JSON object (--param values override its keys)")
    .option("--watch", "follow the run and the runs it triggers until they finish (see below)")
    .option("--grace <seconds>", "with --watch, how long to wait for triggered runs after the last followed run finished", "2")
    .option("--json", "print the created (or, with --watch, the finished) run as JSON")
    .addHelpText(
      "after",
      [
        "",
        "With --watch the command follows the run, its subflow runs, and every run whose causal chain",
        "names a followed run (runs of deployments it started, runs automations started because of it).",
        "Automations act a moment after a run ends, so once every followed run has finished the command",
        "waits --grace seconds more (default 2); a new triggered run, or an automation firing for a",
        "followed run, during that time is followed too and the wait starts again when it has finished.",
      ].join("\n"),
    )
    .action(async (name: string, options: { param?: string[]; params?: string; watch?: boolean; grace: string; json?: boolean }) => {
      const parameters = parseRunParameters(options.params, options.param ?? []);
      const grace = Number(options.grace);
      if (!Number.isFinite(grace) || grace < 0) throw new UsageError(`--grace must be a number of seconds of at least 0, got "${options.grace}".`);
      ctx.exitCode = await withServer(
        ctx,
        async (server) => {
          // `--param` values are coerced by the deployment's parameter schema (a number parameter gets a number).
          const schema = (options.param ?? []).length > 0 ? (await server.request<DeploymentRecord>("GET", route(name))).body.parameterSchema : undefined;
          const coerced = schema === undefined ? parameters : parseRunParameters(options.params, options.param ?? [], schema);
          return runDeployment(ctx, server, name, coerced, { ...options, graceMs: grace * 1000 });
        },
        { worker: true },
      );
    });
  for (const [verb, paused] of [["pause", true], ["resume", false]] as const) {
    deployment
      .command(verb)
      .description(paused ? "Pause a deployment: its schedules make no runs and new runs are refused." : "Resume a paused deployment.")
      .argument("<name>", "the deployment, as <flow-name>/<deployment-name>")
      .action((name: string) =>
        withServer(ctx, async (server) => {
          const { body } = await server.request<DeploymentRecord>("POST", `${route(name)}/${verb}`);
          ctx.stdout.write(`Deployment ${body.name} is ${body.paused ? "paused" : "active"}.\n`);
        }),
      );
  }
}

async function runDeployment(
  ctx: CliContext,
  server: ServerConnection,
  name: string,
  parameters: Record<string, unknown>,
  options: { watch?: boolean; json?: boolean; graceMs: number },
): Promise<number> {
  // Without a running server nothing else would execute the run: this command does, and waits.
  const watch = options.watch === true || server.embedded !== undefined;
  const follower = new RunFollower(new Set(), options.json ? undefined : ctx.stdout);
  const stream = watch ? await server.stream((event) => follower.onEvent(event)) : undefined;
  try {
    const { body: run } = await server.request<FlowRunRecord>("POST", `${route(name)}/runs`, { parameters });
    if (!watch) {
      if (options.json) ctx.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      else ctx.stdout.write(`Created flow run ${run.name} (${run.id}) of ${name}: ${run.state.name}.\n`);
      return ExitCode.ok;
    }
    follower.follow(run);
    if (!server.embedded) await follower.settle(options.graceMs);
    else {
      // In process, the server itself says when its worker and automations are done.
      for (;;) {
        await follower.whenAllFinal();
        await server.embedded.server.idle();
        if (follower.allFinal()) break;
      }
    }
    const final = follower.runs.get(run.id)!;
    if (options.json) ctx.stdout.write(`${JSON.stringify(final, null, 2)}\n`);
    else ctx.stdout.write(`Flow run ${final.name} of ${name} ${final.state.name}; ${follower.runs.size - 1} more run(s) followed.\n`);
    return isFinal(final.state) && final.state.type === "COMPLETED" ? ExitCode.ok : ExitCode.runFailed;
  } finally {
    stream?.close();
  }
}

function describeSchedules(d: DeploymentRecord): string {
  if (d.schedules.length === 0) return "-";
  return d.schedules.map((spec) => compileSchedule(spec).describe()).join("; ");
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
