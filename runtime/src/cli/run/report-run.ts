/**
 * What `tributary run` prints and returns once the child is gone: a run whose process died is
 * first ended `Crashed` (or, when it was stopped for not ending in time, `TimedOut` or
 * `Cancelled`); then the run JSON (`--json`) or its final state and tree.
 */
import { shellCommand } from "../../shell-quote.js";
import { isFinal } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import { uniqueIdPrefix } from "../../store/unique-id-prefix.js";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { buildFlowRunJson, type FlowRunJson } from "../flow-run-json.js";
import { withStore } from "../open-cli-store.js";
import { describeChain } from "../render/causal-chain.js";
import { formatRunTree } from "../render/format-run-tree.js";
import { runDuration } from "../render/format-time.js";
import { treeFromFlowRunJson } from "../render/run-tree.js";
import type { ChildRunOutcome } from "./child-run.js";
import type { ReportedRuns } from "./reported-runs.js";

/** The final tree shows at most this many children per run; `flow-run inspect --json` has them all. */
const MAX_CHILDREN = 50;

export async function reportRun(
  ctx: CliContext,
  flowRunId: string,
  outcome: Exclude<ChildRunOutcome, { kind: "usage-error" }>,
  reported: ReportedRuns,
  options: { json: boolean; interrupted: boolean },
): Promise<number> {
  if (outcome.kind === "died" && !outcome.started) {
    // It ended while loading the flow file, before anything was written: a `process.exit` in the
    // file is the file's doing (bad input); a signal is not.
    ctx.stderr.write(`tributary: ${deathOf(outcome, "while loading the flow file; no run was recorded")}\n`);
    return outcome.signal === null && outcome.runnerError === undefined ? ExitCode.usage : ExitCode.runFailed;
  }
  return withStore(ctx, async (store) => {
    if (outcome.kind === "died") await reported.writeMissing(store);
    const stored = await store.getFlowRun(flowRunId);
    let run: FlowRunRecord;
    if (outcome.kind === "finished") run = stored ?? outcome.run;
    else {
      if (stored === undefined) {
        ctx.stderr.write(`tributary: ${deathOf(outcome, "before the run was recorded")}\n`);
        return ExitCode.runFailed;
      }
      run = stored;
      if (!isFinal(run.state)) {
        const reason = options.interrupted && outcome.signal === "SIGKILL" ? "Killed with a second Ctrl-C." : deathOf(outcome, "before the run finished");
        await store.endAbandonedRun(flowRunId, outcome.ending ?? { state: "Crashed", message: reason }, ctx.now());
        run = (await store.getFlowRun(flowRunId))!;
      }
    }
    const json = await buildFlowRunJson(store, run);
    if (options.json) ctx.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    else printSummary(ctx, json, await uniqueIdPrefix(store, json.id));
    return exitCodeOf(json, options.interrupted);
  }, { crashRunsWithoutProcess: false });
}

/** `The flow run's process was killed by SIGKILL before the run finished.` */
function deathOf(outcome: Extract<ChildRunOutcome, { kind: "died" }>, when: string): string {
  if (outcome.runnerError !== undefined) return outcome.runnerError;
  if (outcome.signal !== null) return `The flow run's process was killed by ${outcome.signal} ${when}.`;
  return `The flow run's process exited with code ${outcome.code ?? "unknown"} ${when}.`;
}

function exitCodeOf(run: FlowRunJson, interrupted: boolean): number {
  if (run.state.type === "COMPLETED") return ExitCode.ok;
  if (interrupted && (run.state.type === "CANCELLED" || run.state.type === "CRASHED")) return ExitCode.interrupted;
  return ExitCode.runFailed;
}

function printSummary(ctx: CliContext, run: FlowRunJson, idPrefix: string): void {
  const duration = runDuration(run.startTime, run.endTime, ctx.now());
  const took = duration === "" ? "" : run.state.type === "COMPLETED" ? ` in ${duration}` : ` after ${duration}`;
  const message = run.state.message !== undefined && run.state.type !== "COMPLETED" ? `: ${run.state.message.split("\n", 1)[0]}` : "";
  const color = ctx.stdout.isTTY === true;
  const lines = [
    "",
    `Flow run ${run.name} (${run.flowName}) ${run.state.name}${took}${message}`,
    ...formatRunTree(treeFromFlowRunJson(run), { now: ctx.now(), color, maxChildren: MAX_CHILDREN }),
  ];
  lines.push(`Run id: ${run.id}`);
  if (run.state.type !== "COMPLETED") lines.push(`Logs: ${shellCommand(["tributary", "flow-run", "logs", idPrefix])}`);
  ctx.stdout.write(`${lines.join("\n")}\n`);
}

/**
 * The runs a command caused besides its own (deployment and automation runs), each as a tree under
 * the chain that led to it: `↳ demo-flow-dependencies → demo-4-events → deployment … → automation …`.
 */
export async function printCausedRuns(ctx: CliContext, runIds: readonly string[]): Promise<void> {
  await withStore(ctx, async (store) => {
    const lines = ["", `Runs it caused (${runIds.length}):`];
    for (const id of runIds) {
      const run = await store.getFlowRun(id);
      if (!run) continue;
      const json = await buildFlowRunJson(store, run);
      const cause = describeChain(run.chain ?? [], run.id);
      if (cause !== undefined) lines.push(`↳ ${cause}`);
      lines.push(...formatRunTree(treeFromFlowRunJson(json), { now: ctx.now(), color: ctx.stdout.isTTY === true, maxChildren: MAX_CHILDREN }));
    }
    ctx.stdout.write(`${lines.join("\n")}\n`);
  });
}
