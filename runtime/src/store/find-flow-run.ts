/**
 * Finds a flow run as a person names it: its id, a unique prefix of its id, or its name
 * (Prefect-style run names such as `crimson-otter`). One lookup for the CLI, which reads the store
 * itself (`flow-run inspect|logs`), and the server, whose routes take `{id}` the same way
 * (`flow-run cancel|retry` go through them); each turns a miss into its own kind of error.
 */
import type { FlowRunRecord } from "./records.js";
import type { Store } from "./store.js";

const SHOWN = 5;

export type FlowRunLookup =
  | { run: FlowRunRecord }
  | { run?: undefined; problem: "none" | "ambiguous"; message: string };

export async function lookUpFlowRun(
  store: Pick<Store, "getFlowRun" | "findFlowRunsByIdPrefix" | "findFlowRunsByName">,
  idPrefixOrName: string,
): Promise<FlowRunLookup> {
  const wanted = idPrefixOrName.trim();
  if (wanted === "") return { problem: "none", message: "No flow run id given; list runs and their ids with `tributary flow-run ls`." };
  const exact = await store.getFlowRun(wanted);
  if (exact) return { run: exact };
  const byPrefix = await store.findFlowRunsByIdPrefix(wanted, SHOWN + 1);
  if (byPrefix.length === 1) return { run: byPrefix[0]! };
  if (byPrefix.length > 1) return { problem: "ambiguous", message: `"${wanted}" matches several flow runs: ${describe(byPrefix)}; give more of the id.` };
  const byName = await store.findFlowRunsByName(wanted, SHOWN + 1);
  if (byName.length === 1) return { run: byName[0]! };
  if (byName.length > 1) {
    const count = byName.length > SHOWN ? `more than ${SHOWN}` : `${byName.length}`;
    return {
      problem: "ambiguous",
      message: `"${wanted}" is the name of ${count} flow runs: ${describe(byName)}; give one's id (or a unique prefix of it) instead.`,
    };
  }
  return {
    problem: "none",
    message: `No flow run has an id starting with "${wanted}" or the name "${wanted}"; list runs and their ids with \`tributary flow-run ls\`.`,
  };
}

function describe(runs: readonly FlowRunRecord[]): string {
  return `${runs.slice(0, SHOWN).map((run) => `${run.id} (${run.name}, ${run.flowName})`).join(", ")}${runs.length > SHOWN ? ", ..." : ""}`;
}
