/**
 * What a command that ran a flow prints once it has finished, `tributary run` and `deployment run
 * --watch` alike: the run's final state, its tree, its id and, unless it completed, how to read its
 * log; then each run it caused as a tree under the chain that led to it.
 *
 *     Flow run crimson-otter (upstream) Completed in 630ms
 *     ✓ upstream · crimson-otter  Completed  630ms
 *     └─ ✓ downstream · gentle-marmot  Completed  4ms
 *     Run id: 01a24969-419b-7004-a9dd-3d556a169764
 *
 *     Runs it caused (1):
 *     ↳ upstream → automation after-upstream → deployment downstream/process
 *     ✓ downstream · daring-koala  Completed  2ms
 */
import type { CausalLink } from "../../orchestrator/contract.js";
import { shellCommand } from "../../shell-quote.js";
import { describeChain } from "./causal-chain.js";
import { formatRunTree } from "./format-run-tree.js";
import { runDuration } from "./format-time.js";
import type { RunTreeNode } from "./run-tree.js";

/** The final tree shows at most this many children per run; `flow-run inspect --json` has them all. */
const MAX_CHILDREN = 50;

export interface SummaryOptions {
  now: Date;
  /** ANSI colours (only on a terminal). */
  color: boolean;
}

/** `run` is the flow run's tree; `idPrefix` what the log hint names it by (the shortest unique prefix of its id). */
export function formatRunSummary(run: RunTreeNode, idPrefix: string, options: SummaryOptions): string[] {
  const duration = runDuration(run.startTime, run.endTime, options.now);
  const took = duration === "" ? "" : run.state.type === "COMPLETED" ? ` in ${duration}` : ` after ${duration}`;
  const message = run.state.message !== undefined && run.state.type !== "COMPLETED" ? `: ${run.state.message.split("\n", 1)[0]}` : "";
  const lines = [
    "",
    `Flow run ${run.name} (${run.definitionName}) ${run.state.name}${took}${message}`,
    ...formatRunTree(run, { ...options, maxChildren: MAX_CHILDREN }),
    `Run id: ${run.id}`,
  ];
  if (run.state.type !== "COMPLETED") lines.push(`Logs: ${shellCommand(["tributary", "flow-run", "logs", idPrefix])}`);
  return lines;
}

/** The runs a command caused besides its own, each under the chain that led to it: `↳ upstream → automation after-upstream → deployment …`. */
export function formatCausedRuns(runs: readonly { tree: RunTreeNode; chain: readonly CausalLink[] }[], options: SummaryOptions): string[] {
  const lines = ["", `Runs it caused (${runs.length}):`];
  for (const { tree, chain } of runs) {
    const cause = describeChain(chain, tree.id);
    if (cause !== undefined) lines.push(`↳ ${cause}`);
    lines.push(...formatRunTree(tree, { ...options, maxChildren: MAX_CHILDREN }));
  }
  return lines;
}
