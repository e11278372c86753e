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
   * Runs carrying every one of these tags (Prefect's `tags.all_`; `anyTags` for any of them).
   * @default undefined
   * @example readFlowRuns({ tags: ["nightly"] })
   */
  tags?: string[];
  /**
   * Runs carrying at least one of these tags (with `tags`, both must hold).
   * @default undefined
   * @example readFlowRuns({ anyTags: ["nightly", "backfill"] })
   */
  anyTags?: string[];
  /**
   * Runs that started at or after this moment; runs that have not started do not match.
   * @default undefined
   * @example readFlowRuns({ flowName: "upstream-flow", startedAfter: new Date(Date.now() - 3_600_000) })
   */
  startedAfter?: Date | string;
  /**
   * Runs that started at or before this moment; runs that have not started do not match.
   * @default undefined
   * @example readFlowRuns({ startedAfter: "2026-03-01T00:00:00Z", startedBefore: "2026-03-02T00:00:00Z" })
   */
  startedBefore?: Date | string;
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

const KNOWN = ["flowName", "deploymentName", "state", "tags", "anyTags", "startedAfter", "startedBefore", "parentRunId", "limit", "sort"];

function isStateFilter(value: unknown): boolean {
  return isStateName(value) || (STATE_TYPES as readonly unknown[]).includes(value);
}

function isoTime(check: OptionChecker, key: string, value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = value instanceof Date || typeof value === "string" ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) check.fail(key, "a Date or an ISO 8601 string");
  return time.toISOString();
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
  check.tags("anyTags");
  if (options.anyTags?.length === 0) check.fail("anyTags", "a non-empty list of tags");
  const startedAfter = isoTime(check, "startedAfter", options.startedAfter);
  const startedBefore = isoTime(check, "startedBefore", options.startedBefore);
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
        anyTags: options.anyTags?.join(","),
        startedAfter,
        startedBefore,
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
