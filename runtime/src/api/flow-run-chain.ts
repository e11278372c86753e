/**
 * The causal chain of the calling flow run, which runDeployment and emitEvent pass on so that the
 * server's loop guard sees the whole chain. The server puts `chain` on the runs it creates (ending
 * with the run itself); a subflow run has none and inherits its parent's. This is the one place that
 * knows where the chain is kept.
 */
import type { ExecutionContext } from "../engine/run-context.js";
import type { CausalLink } from "../orchestrator/contract.js";
import type { FlowRunRecord } from "../store/records.js";
import type { ApiConfig } from "./api-config.js";
import { getFlowRun } from "./flow-runs-api.js";

const MAX_DEPTH = 32;

/** The chain stored on a run record, if any. */
export function chainOnRecord(record: FlowRunRecord): CausalLink[] | undefined {
  return Array.isArray(record.chain) ? record.chain : undefined;
}

function withRun(chain: CausalLink[], run: Pick<FlowRunRecord, "id" | "flowName">): CausalLink[] {
  const last = chain.at(-1);
  if (last?.kind === "flow-run" && last.id === run.id) return chain;
  return [...chain, { kind: "flow-run", id: run.id, name: run.flowName }];
}

async function chainOfRun(config: ApiConfig, run: FlowRunRecord, depth: number): Promise<CausalLink[]> {
  const stored = chainOnRecord(run);
  if (stored !== undefined) return withRun(stored, run);
  if (run.parentFlowRunId === undefined || depth >= MAX_DEPTH) return withRun([], run);
  const parent = await readRun(config, run.parentFlowRunId);
  return withRun(parent === undefined ? [] : await chainOfRun(config, parent, depth + 1), run);
}

async function readRun(config: ApiConfig, id: string): Promise<FlowRunRecord | undefined> {
  try {
    return await getFlowRun(config, id);
  } catch (error) {
    if ((error as { name?: unknown }).name === "NotFoundError") return undefined;
    throw error;
  }
}

const cache = new WeakMap<object, Promise<CausalLink[]>>();

/** The chain of the run `context` executes in, ending with that run. */
export function chainOfContext(config: ApiConfig, context: ExecutionContext): Promise<CausalLink[]> {
  let chain = cache.get(context.scope);
  if (chain === undefined) {
    const local = context.scope.record;
    chain = (async () => {
      if (chainOnRecord(local) !== undefined) return chainOfRun(config, local, 0);
      // The engine's own record may lack what the server stored: ask the server.
      const served = await readRun(config, local.id);
      return chainOfRun(config, served ?? local, 0);
    })();
    chain.catch(() => cache.delete(context.scope));
    cache.set(context.scope, chain);
  }
  return chain;
}
