/**
 * The causal chain that travels with runs and events, and the runtime loop guard over it: a chain
 * that would visit the same deployment (or automation) more than `maxChainRepeats` times is refused,
 * whether the next hop is an automation, a deployment trigger or a `runDeployment` call.
 */
import type { CausalLink, TributaryEvent } from "../orchestrator/contract.js";
import { eventFlowRun, eventFlowRunId } from "./event-match.js";

/** How many times one causal chain may visit the same deployment (or automation), unless configured. */
export const DEFAULT_MAX_CHAIN_REPEATS = 3;

/** Checks a configured `maxChainRepeats`, failing with a message that names the bad value. */
export function checkMaxChainRepeats(value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`Expected \`maxChainRepeats\` to be a positive integer, got \`${String(value)}\`.`);
  }
  return value;
}

/**
 * What led to an event, ending with the flow run it is about (when it is about one and the chain
 * does not end with it already).
 */
export function chainOfEvent(event: TributaryEvent | undefined): CausalLink[] {
  const chain = [...(event?.chain ?? [])];
  const runId = eventFlowRunId(event);
  if (runId !== undefined) {
    const last = chain.at(-1);
    if (!(last?.kind === "flow-run" && last.id === runId)) {
      chain.push({ kind: "flow-run", id: runId, name: eventFlowRun(event)?.flowName ?? event?.resource.flowName ?? runId });
    }
  }
  return chain;
}

/** How many times `chain` passes through the deployment or automation named so. */
export function visits(chain: readonly CausalLink[], kind: CausalLink["kind"], name: string): number {
  return chain.filter((link) => link.kind === kind && link.name === name).length;
}

/** `flow-run upstream-flow → automation notify → deployment etl/nightly`, for messages. */
export function describeChain(chain: readonly CausalLink[]): string {
  return chain.map((link) => `${link.kind} ${link.name}`).join(" → ");
}
