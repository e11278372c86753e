/** Finds a flow run by its id or a unique prefix of it, as `flow-run inspect|logs <id>` take it. */
import { UsageError } from "../errors.js";
import type { FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";

export async function findFlowRun(store: Store | undefined, idOrPrefix: string): Promise<FlowRunRecord> {
  const wanted = idOrPrefix.trim();
  if (wanted === "") throw new UsageError("No flow run id given; list runs and their ids with `tributary flow-run ls`.");
  const exact = await store?.getFlowRun(wanted);
  if (exact) return exact;
  const matches = (await store?.findFlowRunsByIdPrefix(wanted, 6)) ?? [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UsageError(`No flow run has an id starting with "${wanted}"; list runs and their ids with \`tributary flow-run ls\`.`);
  }
  const shown = matches.slice(0, 5).map((run) => `${run.id} (${run.name})`).join(", ");
  throw new UsageError(`"${wanted}" matches several flow runs: ${shown}${matches.length > 5 ? ", ..." : ""}; give more of the id.`);
}
