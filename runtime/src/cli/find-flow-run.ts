/**
 * Finds a flow run as `flow-run inspect|logs <id>` take it: its id, a unique prefix of its id, or
 * its name (Prefect-style run names such as `crimson-otter`; a name that several runs have is refused).
 */
import { UsageError } from "../errors.js";
import type { FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";

const SHOWN = 5;

export async function findFlowRun(store: Store | undefined, idPrefixOrName: string): Promise<FlowRunRecord> {
  const wanted = idPrefixOrName.trim();
  if (wanted === "") throw new UsageError("No flow run id given; list runs and their ids with `tributary flow-run ls`.");
  if (store === undefined) throw notFound(wanted);
  const exact = await store.getFlowRun(wanted);
  if (exact) return exact;
  const byPrefix = await store.findFlowRunsByIdPrefix(wanted, SHOWN + 1);
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) throw new UsageError(`"${wanted}" matches several flow runs: ${describe(byPrefix)}; give more of the id.`);
  const byName = await store.findFlowRunsByName(wanted, SHOWN + 1);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    const count = byName.length > SHOWN ? `more than ${SHOWN}` : `${byName.length}`;
    throw new UsageError(`"${wanted}" is the name of ${count} flow runs: ${describe(byName)}; give one's id (or a unique prefix of it) instead.`);
  }
  throw notFound(wanted);
}

function notFound(wanted: string): UsageError {
  return new UsageError(`No flow run has an id starting with "${wanted}" or the name "${wanted}"; list runs and their ids with \`tributary flow-run ls\`.`);
}

function describe(runs: readonly FlowRunRecord[]): string {
  return `${runs.slice(0, SHOWN).map((run) => `${run.id} (${run.name}, ${run.flowName})`).join(", ")}${runs.length > SHOWN ? ", ..." : ""}`;
}
