/**
 * `tributary deployment ls | inspect <name> | run <name> [--param k=v]… [--params JSON|@file]
 * [--tag T]… [--flow-run-name N] [--start-in D | --start-at T] [--watch] | pause <name> | resume <name>`, over the server's API (the running server, or one started in
 * this process on the workspace's store).
 */
import type { Command } from "commander";
import { describeSchedules } from "../../schedules/schedule.js";
import type { CreateDeploymentRunRequest, DeploymentRecord } from "../../orchestrator/contract.js";
import { UsageError } from "../../errors.js";
import type { FlowRunRecord } from "../../store/records.js";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { formatDateTime, formatDuration } from "../render/format-time.js";
import { parseRunParameters, readParamsOption } from "../run/run-parameters.js";
import { requestedStartTime } from "../run/start-time.js";
import { ServerRunWatch } from "../run/watch-server-run.js";
import { formatParameterSchema } from "../render/parameter-schema.js";
import { formatTable } from "../render/table.js";
import { poolOf } from "../../deployments/work-pools.js";
import { withServer, type ServerConnection } from "../server-connection.js";

interface DeploymentRunOptions {
  param?: string[];
  params?: string;
  tag?: string[];
  flowRunName?: string;
  startIn?: string;
  startAt?: string;
  watch?: boolean;
  grace: string;
  json?: boolean;
}

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
        const rows = body.map((d) => [d.name, describeSchedules(d.schedules), d.paused ? "paused" : "active", d.concurrencyLimit?.toString() ?? "-", d.entrypoint]);
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
          `Schedule     ${describeSchedules(d.schedules)}`,
          `Parameters   ${JSON.stringify(d.parameters)}`,
          `Tags         ${d.tags.join(", ") || "-"}`,
          `Concurrency  ${d.concurrencyLimit ?? "unlimited"}`,
          `Work pool    ${poolOf(d)}`,
          `Isolation    ${d.isolation ?? "shared"}`,
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
    .option("--params <json>", "the parameters as one JSON object, or @<file> to read it from a JSON file (--param values override its keys)")
    .option("--tag <tag>", "a tag for the run, on top of the deployment's; repeatable", collect)
    .option("--flow-run-name <name>", "the run's name (else a generated one such as crimson-otter)")
    .option("--start-in <duration>", 'start the run after this long: "90s", "10 minutes", "1h30m", "2 days"')
    .option("--start-at <date-time>", 'start the run at this time: "YYYY-MM-DD HH:MM" (local time) or ISO 8601')
    .option("--watch", "follow the run and the runs it triggers until they finish (see below)")
    .option("--grace <seconds>", "with --watch, how long to wait for triggered runs after the last followed run finished", "2")
    .option("--json", "print the created (or, with --watch, the finished) run as JSON")
    .addHelpText(
      "after",
      [
        "",
        "With --watch the command shows the run as `tributary run` does: its progress, that of its subflow",
        "runs and of every run whose causal chain names a followed run (runs of deployments it started,",
        "runs automations started because of it), then its tree. A run to start later is waited for.",
        "Automations act a moment after a run ends, so once every followed run has finished the command",
        "waits --grace seconds more (default 2); a new triggered run, or an automation firing for a",
        "followed run, during that time is followed too and the wait starts again when it has finished.",
        "Without a server running, the command runs the run itself and waits, as with --watch; a run for",
        "later (--start-in, --start-at) is only created then, for a server started by its time to run.",
      ].join("\n"),
    )
    .action(async (name: string, options: DeploymentRunOptions) => {
      const paramsJson = readParamsOption(options.params, ctx.cwd);
      const parameters = parseRunParameters(paramsJson, options.param ?? []);
      const grace = Number(options.grace);
      if (!Number.isFinite(grace) || grace < 0) throw new UsageError(`--grace must be a number of seconds of at least 0, got "${options.grace}".`);
      const startTime = requestedStartTime(options, ctx.now());
      const tags = options.tag ?? [];
      const emptyTag = tags.find((tag) => tag.trim() === "");
      if (emptyTag !== undefined) throw new UsageError(`--tag "${emptyTag}" is empty; give each tag a name, as --tag nightly.`);
      if (options.flowRunName !== undefined && options.flowRunName.trim() === "") {
        throw new UsageError(`--flow-run-name "${options.flowRunName}" is empty; give the run a name, or leave the option out for a generated one.`);
      }
      ctx.exitCode = await withServer(
        ctx,
        async (server) => {
          // `--param` values are coerced by the deployment's parameter schema (a number parameter gets a number).
          const schema = (options.param ?? []).length > 0 ? (await server.request<DeploymentRecord>("GET", route(name))).body.parameterSchema : undefined;
          const request: CreateDeploymentRunRequest = {
            parameters: schema === undefined ? parameters : parseRunParameters(paramsJson, options.param ?? [], schema),
            ...(tags.length > 0 ? { tags } : {}),
            ...(options.flowRunName !== undefined ? { flowRunName: options.flowRunName } : {}),
            ...(startTime !== undefined ? { scheduledTime: startTime.toISOString() } : {}),
          };
          return runDeployment(ctx, server, name, request, { ...options, graceMs: grace * 1000 });
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
  request: CreateDeploymentRunRequest,
  options: { watch?: boolean; json?: boolean; graceMs: number },
): Promise<number> {
  // Without a running server nothing else would execute the run: this command does, and waits,
  // unless the run is for later (a server started by then runs it).
  const later = request.scheduledTime !== undefined;
  const watch = options.watch === true || (server.embedded !== undefined && !later);
  const watching = watch ? await ServerRunWatch.open(ctx, server, { json: options.json === true, graceMs: options.graceMs }) : undefined;
  try {
    const { body: run } = await server.request<FlowRunRecord>("POST", `${route(name)}/runs`, request);
    if (watching) return await watching.follow(run);
    if (options.json) ctx.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    else {
      const startsAt = later ? `, to start at ${formatDateTime(run.expectedStartTime!)} (in ${formatDuration(Date.parse(run.expectedStartTime!) - ctx.now().getTime())})` : "";
      ctx.stdout.write(`Created flow run ${run.name} (${run.id}) of ${name}: ${run.state.name}${startsAt}.\n`);
      if (server.embedded) {
        ctx.stdout.write("No server is running to execute it: start one with `tributary server start` before then (its worker runs it when due), or pass --watch to run it from this command.\n");
      }
    }
    return ExitCode.ok;
  } finally {
    watching?.close();
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
