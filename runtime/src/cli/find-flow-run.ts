/**
 * Finds a flow run as `flow-run inspect|logs <id>` take it, in the workspace's store: its id, a
 * unique prefix of its id, or its name (store/find-flow-run.ts); a miss or a name that several runs
 * have is bad usage.
 */
import { UsageError } from "../errors.js";
import { lookUpFlowRun } from "../store/find-flow-run.js";
import type { FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";

export async function findFlowRun(store: Store | undefined, idPrefixOrName: string): Promise<FlowRunRecord> {
  const empty = { getFlowRun: async () => undefined, findFlowRunsByIdPrefix: async () => [], findFlowRunsByName: async () => [] };
  const found = await lookUpFlowRun(store ?? empty, idPrefixOrName);
  if (found.run === undefined) throw new UsageError(found.message);
  return found.run;
}
