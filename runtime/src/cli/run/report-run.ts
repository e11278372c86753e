/**
 * What `tributary run` prints and returns once the child is gone: a run whose process died is
 * first ended `Crashed` (or, when it was stopped for not ending in time, `TimedOut` or
 * `Cancelled`); then the run JSON (`--json`) or its final state and tree.
 */
import { isFinal } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import { uniqueIdPrefix } from "../../store/unique-id-prefix.js";
import type { CliContext } from "../cli-context.js";
import { ExitCode } from "../exit-codes.js";
import { buildFlowRunJson, type FlowRunJson } from "../flow-run-json.js";
import { withStore } from "../open-cli-store.js";
import { formatCausedRuns, formatRunSummary } from "../render/run-summary.js";
import { treeFromFlowRunJson } from "../render/run-tree.js";
import type { ChildRunOutcome } from "./child-run.js";
import type { ReportedRuns } from "./reported-runs.js";

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
    else if (outcome.kind === "aborted") {
      // Ended by someone else while the child ran (its line says so): shown as the store holds it.
      if (stored === undefined) {
        ctx.stderr.write(`tributary: ${outcome.message}\n`);
        return ExitCode.runFailed;
      }
      run = stored;
    } else {
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
    else {
      const summary = formatRunSummary(treeFromFlowRunJson(json), await uniqueIdPrefix(store, json.id), { now: ctx.now(), color: ctx.stdout.isTTY === true });
      ctx.stdout.write(`${summary.join("\n")}\n`);
    }
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

/**
 * The runs a command caused besides its own (deployment and automation runs), each as a tree under
 * the chain that led to it: `↳ demo-flow-dependencies → demo-4-events → deployment … → automation …`.
 */
export async function printCausedRuns(ctx: CliContext, runIds: readonly string[]): Promise<void> {
  await withStore(ctx, async (store) => {
    const runs = [];
    for (const id of runIds) {
      const run = await store.getFlowRun(id);
      if (run) runs.push({ tree: treeFromFlowRunJson(await buildFlowRunJson(store, run)), chain: run.chain ?? [] });
    }
    ctx.stdout.write(`${formatCausedRuns(runs, { now: ctx.now(), color: ctx.stdout.isTTY === true }).join("\n")}\n`);
  });
}
