/** `tributary flow-run ls | inspect <id> | logs <id>`: reading runs back from the store. */
import { Command } from "commander";
import { UsageError } from "../../errors.js";
import { STATE_NAMES, STATE_TYPES, type StateName, type StateType } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import { logMessageFormatter, type CliContext } from "../cli-context.js";
import { didYouMeanSuffix } from "../did-you-mean.js";
import { findFlowRun } from "../find-flow-run.js";
import { buildFlowRunJson, DeploymentNames, stateJson } from "../flow-run-json.js";
import { withExistingStore } from "../open-cli-store.js";
import { describeChain } from "../render/causal-chain.js";
import { formatRunTree } from "../render/format-run-tree.js";
import { formatClock, formatDateTime, runDuration } from "../render/format-time.js";
import { treeFromFlowRunJson } from "../render/run-tree.js";
import { formatTable } from "../render/table.js";

const DEFAULT_LIMIT = 20;

export function registerFlowRunCommands(program: Command, ctx: CliContext): void {
  const flowRun = program.command("flow-run").description("List and inspect flow runs and read their logs.");
  flowRun
    .command("ls")
    .description("List flow runs, newest first.")
    .option("--flow-name <name>", "only runs of this flow")
    .option("--state <state>", "only runs in this state: a state name (Completed) or type (COMPLETED)")
    .option("--worker <name>", "only runs this worker claimed (its name in `tributary worker ls`)")
    .option("--limit <n>", `at most this many runs (default ${DEFAULT_LIMIT})`)
    .option("--json", "print the runs as a JSON array")
    .action((options: ListOptions) => listFlowRuns(ctx, options));
  flowRun
    .command("inspect")
    .description("Show one flow run with its state history, task runs and subflow runs.")
    .argument("<id>", "the run's id, a unique prefix of it, or the run's name")
    .option("--json", "print the run as JSON")
    .action((id: string, options: { json?: boolean }) => inspectFlowRun(ctx, id, options.json === true));
  flowRun
    .command("logs")
    .description("Print the log of a flow run and its task runs.")
    .argument("<id>", "the run's id, a unique prefix of it, or the run's name")
    .option("--verbose", "print stack traces whole: the frames of tributaryjs, node_modules and node too, with absolute paths")
    .action((id: string, options: { verbose?: boolean }) => printLogs(ctx, id, options.verbose === true));
}

interface ListOptions {
  flowName?: string;
  state?: string;
  worker?: string;
  limit?: string;
  json?: boolean;
}

async function listFlowRuns(ctx: CliContext, options: ListOptions): Promise<void> {
  const state = options.state === undefined ? undefined : parseStateFilter(options.state);
  const limit = options.limit === undefined ? DEFAULT_LIMIT : parseLimit(options.limit);
  if (options.worker !== undefined && options.worker.trim() === "") {
    throw new UsageError(`--worker must be a worker's name, as \`tributary worker ls\` lists it; got "${options.worker}".`);
  }
  const { runs, deploymentNames } = await withExistingStore(ctx, async (store) => {
    if (store === undefined) return { runs: [], deploymentNames: [] };
    const found = await store.listFlowRuns({
      ...(options.flowName !== undefined ? { flowName: options.flowName } : {}),
      ...(state !== undefined ? { state } : {}),
      ...(options.worker !== undefined ? { workerName: options.worker } : {}),
      limit,
    });
    const deployments = new DeploymentNames(store);
    return { runs: found, deploymentNames: options.json ? await Promise.all(found.map((run) => deployments.of(run.deploymentId))) : [] };
  });
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(runs.map((run, i) => summaryJson(run, deploymentNames[i] ?? null)), null, 2)}\n`);
    return;
  }
  if (runs.length === 0) {
    ctx.stdout.write(`No flow runs${options.flowName !== undefined || state !== undefined || options.worker !== undefined ? " match" : " yet"}.\n`);
    return;
  }
  const rows = runs.map((run) => [
    run.id,
    run.name,
    run.flowName,
    run.state.name,
    run.startTime ? formatDateTime(run.startTime) : "-",
    runDuration(run.startTime, run.endTime, ctx.now()) || "-",
  ]);
  ctx.stdout.write(`${formatTable(["ID", "NAME", "FLOW", "STATE", "START", "DURATION"], rows).join("\n")}\n`);
}

async function inspectFlowRun(ctx: CliContext, id: string, json: boolean): Promise<void> {
  const { run, parent } = await withExistingStore(ctx, async (store) => {
    const found = await findFlowRun(store, id);
    const parentRun = found.parentFlowRunId === undefined ? undefined : await store!.getFlowRun(found.parentFlowRunId);
    return { run: await buildFlowRunJson(store!, found), parent: parentRun };
  });
  if (json) {
    ctx.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    return;
  }
  const caused = run.causedRuns ?? [];
  const lines = [
    `Flow run    ${run.name} (${run.id})`,
    `Flow        ${run.flowName}`,
    `Deployment  ${run.deploymentName ?? (run.deploymentId !== null ? `${run.deploymentId} (removed)` : "-")}`,
    `Worker      ${run.workerName ?? "-"}`,
    `Tags        ${run.tags.join(", ") || "-"}`,
    `Parent run  ${run.parentFlowRunId === null ? "-" : parent !== undefined ? `${parent.name} (${parent.id})` : run.parentFlowRunId}`,
    `Caused by   ${describeChain(run.chain, run.id) ?? "-"}`,
    `State       ${run.state.name}${run.state.message !== undefined ? `: ${run.state.message}` : ""}`,
    `Parameters  ${JSON.stringify(run.parameters)}`,
    ...(run.result !== undefined ? [`Result      ${truncate(JSON.stringify(run.result), 200)}`] : []),
    `Started     ${run.startTime ? formatDateTime(run.startTime) : "-"}`,
    `Duration    ${runDuration(run.startTime, run.endTime, ctx.now()) || "-"}`,
    "",
    "State history",
    ...run.stateHistory.map((entry) => `  ${formatDateTime(entry.timestamp)}.${entry.timestamp.slice(20, 23)}  ${entry.name}`),
    "",
    "Runs",
    ...formatRunTree(treeFromFlowRunJson(run), { now: ctx.now(), color: ctx.stdout.isTTY === true, maxChildren: 200 }).map((line) => `  ${line}`),
    "",
    `Runs it caused (${caused.length})`,
    ...caused.map((c) => {
      const via = describeChain(c.chain, c.id, run.id);
      return `  ${c.name} (${c.flowName}) ${c.state.name}  ${c.id}${via !== undefined ? `  via ${via}` : ""}`;
    }),
  ];
  ctx.stdout.write(`${lines.join("\n")}\n`);
}

async function printLogs(ctx: CliContext, id: string, verbose: boolean): Promise<void> {
  const showMessage = logMessageFormatter(ctx, verbose);
  await withExistingStore(ctx, async (store) => {
    const run = await findFlowRun(store, id);
    const logs = await store!.getLogs(run.id);
    if (logs.length === 0) {
      ctx.stdout.write(`Flow run ${run.name} has no log lines.\n`);
      return;
    }
    const taskNames = new Map((await store!.getTaskRuns(run.id)).map((task) => [task.id, task.name]));
    for (const log of logs) {
      const who = log.taskRunId !== undefined ? `task-run ${taskNames.get(log.taskRunId) ?? log.taskRunId.slice(0, 8)}` : `flow-run ${run.name}`;
      ctx.stdout.write(`${formatDateTime(log.timestamp).slice(0, 10)} ${formatClock(log.timestamp)} | ${log.level.toUpperCase().padEnd(7)} | ${who} | ${showMessage(log.message)}\n`);
    }
  });
}

/** One row of `flow-run ls --json`. */
function summaryJson(run: FlowRunRecord, deploymentName: string | null) {
  return {
    id: run.id,
    name: run.name,
    flowName: run.flowName,
    parentFlowRunId: run.parentFlowRunId ?? null,
    deploymentId: run.deploymentId ?? null,
    deploymentName,
    workerName: run.workerName ?? null,
    parameters: run.parameters,
    tags: run.tags,
    state: stateJson(run.state),
    startTime: run.startTime ?? null,
    endTime: run.endTime ?? null,
  };
}

function parseStateFilter(text: string): StateName | StateType {
  if ((STATE_TYPES as readonly string[]).includes(text)) return text as StateType;
  const name = Object.keys(STATE_NAMES).find((known) => known.toLowerCase() === text.toLowerCase());
  if (name !== undefined) return name as StateName;
  const upper = text.toUpperCase();
  if ((STATE_TYPES as readonly string[]).includes(upper)) return upper as StateType;
  throw new UsageError(
    `--state "${text}" is not a state.${didYouMeanSuffix(text, Object.keys(STATE_NAMES))} Use a state name (${Object.keys(STATE_NAMES).join(", ")}) or a type (COMPLETED, FAILED, ...).`,
  );
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of at least 1, got "${text}".`);
  return limit;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
