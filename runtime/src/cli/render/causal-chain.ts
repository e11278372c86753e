/** How a causal chain reads in the CLI: `caller-flow → deployment callee-flow/callee → automation on-done`. */
import type { CausalLink } from "../../orchestrator/contract.js";

/**
 * The hops of `chain` between the run `fromRunId` (exclusive; the chain's start when undefined)
 * and the run `runId` the chain belongs to (exclusive), or undefined when there are none.
 */
export function describeChain(chain: readonly CausalLink[], runId: string, fromRunId?: string): string | undefined {
  const start = fromRunId === undefined ? 0 : chain.findIndex((link) => link.kind === "flow-run" && link.id === fromRunId) + 1;
  const hops = chain.slice(start).filter((link) => !(link.kind === "flow-run" && link.id === runId));
  if (hops.length === 0) return undefined;
  return hops.map((link) => (link.kind === "flow-run" ? link.name : `${link.kind} ${link.name}`)).join(" → ");
}
