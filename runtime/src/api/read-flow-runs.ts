/** `readFlowRuns(filter)`: flow runs from the server, filtered, sorted and limited. */
import { OptionChecker } from "../engine/option-checks.js";
import { isStateName, STATE_TYPES, type StateName, type StateType } from "../states.js";
import { resolveApiConfig } from "./api-config.js";
import { listFlowRuns } from "./flow-runs-api.js";
import type { FlowRun } from "./run-deployment.js";

export interface ReadFlowRunsOptions {
  /**
   * Runs of this flow.
   * @default undefined (every flow)
   * @example readFlowRuns({ flowName: "upstream-flow" })
   */
  flowName?: string;
  /**
   * Runs of this deployment, `"<flow-name>/<deployment name>"`.
   * @default undefined
   * @example readFlowRuns({ deploymentName: "upstream-flow/upstream-data-preparation" })
   */
  deploymentName?: string;
  /**
   * Runs in this state: a state name (`"Completed"`), a state type (`"COMPLETED"`), or a list of them.
   * @default undefined (any state)
   * @example readFlowRuns({ flowName: "etl", state: ["Failed", "Crashed"] })
   */
  state?: StateName | StateType | (StateName | StateType)[];
  /**
   * Runs carrying every one of these tags.
   * @default undefined
   * @example readFlowRuns({ tags: ["nightly"] })
   */
  tags?: string[];
  /**
   * Subflow runs of this run.
   * @default undefined
   * @example readFlowRuns({ parentRunId: getRunContext().flowRunId })
   */
  parentRunId?: string;
  /**
   * At most this many runs.
   * @default the server's page size
   * @example readFlowRuns({ flowName: "etl", limit: 1 })
   */
  limit?: number;
  /**
   * Order by creation time.
   * @default "created-desc" (newest first)
   * @example readFlowRuns({ sort: "created-asc" })
   */
  sort?: "created-desc" | "created-asc";
}

const KNOWN = ["flowName", "deploymentName", "state", "tags", "parentRunId", "limit", "sort"];

function isStateFilter(value: unknown): boolean {
  return isStateName(value) || (STATE_TYPES as readonly unknown[]).includes(value);
}

/**
 * Flow runs known to the server, newest first unless `sort` says otherwise.
 *
 * @example
 * const [latest] = await readFlowRuns({ flowName: "upstream-flow", state: "Completed", limit: 1 });
 * const batchId = (latest?.result as { batchId?: string } | undefined)?.batchId;
 */
export async function readFlowRuns(options: ReadFlowRunsOptions = {}): Promise<FlowRun[]> {
  const check = new OptionChecker("readFlowRuns", options as Record<string, unknown>);
  check.onlyKnown(KNOWN);
  check.string("flowName");
  check.string("deploymentName");
  check.string("parentRunId");
  check.tags("tags");
  check.nonNegativeInteger("limit");
  if (options.sort !== undefined && options.sort !== "created-desc" && options.sort !== "created-asc") check.fail("sort", '"created-desc" or "created-asc"');
  const states = options.state === undefined ? [undefined] : Array.isArray(options.state) ? options.state : [options.state];
  if (states.length === 0 || !states.every((s) => s === undefined || isStateFilter(s))) {
    check.fail("state", "a state name (Completed, Failed, …), a state type (COMPLETED, …) or a non-empty list of them");
  }
  const config = resolveApiConfig("readFlowRuns");
  const sort = options.sort ?? "created-desc";
  // One request per state: the route takes one state at a time.
  const pages = await Promise.all(
    states.map((state) =>
      listFlowRuns(config, {
        flowName: options.flowName,
        deploymentName: options.deploymentName,
        state,
        tags: options.tags?.join(","),
        parentFlowRunId: options.parentRunId,
        limit: options.limit,
        sort,
      }),
    ),
  );
  if (pages.length === 1) return pages[0]!;
  const seen = new Set<string>();
  const runs = pages.flat().filter((run) => !seen.has(run.id) && seen.add(run.id));
  runs.sort((a, b) => (sort === "created-asc" ? 1 : -1) * (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  return options.limit === undefined ? runs : runs.slice(0, options.limit);
}
