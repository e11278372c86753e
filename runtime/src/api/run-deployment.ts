/**
 * `runDeployment(name, options)`: asks the server for a run of a deployment and, unless told not
 * to, waits for it to end — woken by the server's event stream, not by polling.
 */
import { OptionChecker } from "../engine/option-checks.js";
import { currentContext } from "../engine/run-context.js";
import { getRuntime, keepUntilSettled } from "../engine/runtime-config.js";
import type { CreateDeploymentRunRequest, TributaryEvent } from "../orchestrator/contract.js";
import { isFinal } from "../states.js";
import type { FlowRunRecord, JsonValue } from "../store/records.js";
import { resolveApiConfig, type ApiConfig } from "./api-config.js";
import { apiRequest } from "./api-request.js";
import { NotFoundError } from "./client-errors.js";
import { chainOfContext } from "./flow-run-chain.js";
import { finalRunOfEvent, getFlowRun } from "./flow-runs-api.js";
import { waitForEvent } from "./wait-for-event.js";

/** A flow run as the server reports it. */
export type FlowRun = FlowRunRecord;

export interface RunDeploymentOptions {
  /**
   * Parameters of the run, merged over the deployment's defaults and validated against the flow's
   * parameters by the server (an InvalidParametersError names the bad one).
   * @default {}
   * @example runDeployment("etl/nightly", { parameters: { date: "2024-06-01" } })
   */
  parameters?: Record<string, JsonValue>;
  /**
   * How long to wait for the run to end. `0`: return the new run at once (fire and forget);
   * a number: stop waiting after that many seconds and return the run as it stands; absent: wait
   * until the run is final.
   * @default undefined (wait until final)
   * @example runDeployment("etl/nightly", { timeoutSeconds: 0 })
   */
  timeoutSeconds?: number;
  /**
   * A key that makes the call idempotent: a second call with the same key returns the run the
   * first created instead of creating another.
   * @default undefined
   * @example runDeployment("etl/nightly", { idempotencyKey: `etl-${date}` })
   */
  idempotencyKey?: string;
  /**
   * Tags added to the run (besides the deployment's).
   * @default []
   * @example runDeployment("etl/nightly", { tags: ["backfill"] })
   */
  tags?: string[];
  /**
   * The run's name.
   * @default a generated name ("crimson-otter")
   * @example runDeployment("etl/nightly", { flowRunName: "backfill-2024-06" })
   */
  flowRunName?: string;
  /**
   * When the run should start.
   * @default now
   * @example runDeployment("etl/nightly", { scheduledTime: new Date(Date.now() + 3_600_000), timeoutSeconds: 0 })
   */
  scheduledTime?: Date | string;
  /**
   * Inside a flow, link the new run to the calling run as its subflow. When the calling run is
   * cancelled while it waits for a linked run, that run is cancelled too; cancelling the calling
   * run through the server (`tributary flow-run cancel`) cancels every unfinished run linked to it.
   * @default true
   * @example runDeployment("etl/nightly", { asSubflow: false })
   */
  asSubflow?: boolean;
}

const KNOWN = ["parameters", "timeoutSeconds", "idempotencyKey", "tags", "flowRunName", "scheduledTime", "asSubflow"];

function checkOptions(name: unknown, options: RunDeploymentOptions): void {
  if (typeof name !== "string" || !/^[^/]+\/[^/]+$/.test(name)) {
    new OptionChecker("runDeployment", { name }).fail("name", 'a deployment name "<flow-name>/<deployment name>"');
  }
  const check = new OptionChecker(`runDeployment("${name}")`, options as Record<string, unknown>);
  check.onlyKnown(KNOWN);
  if (options.parameters !== undefined && (options.parameters === null || typeof options.parameters !== "object" || Array.isArray(options.parameters))) {
    check.fail("parameters", "an object of JSON values");
  }
  check.nonNegativeNumber("timeoutSeconds");
  check.string("idempotencyKey");
  check.tags("tags");
  check.string("flowRunName");
  check.boolean("asSubflow");
  const when = options.scheduledTime;
  if (when !== undefined && !(when instanceof Date ? !Number.isNaN(when.getTime()) : typeof when === "string" && !Number.isNaN(Date.parse(when)))) {
    check.fail("scheduledTime", "a Date or an ISO 8601 string");
  }
}

async function buildRequest(config: ApiConfig, options: RunDeploymentOptions): Promise<CreateDeploymentRunRequest> {
  const request: CreateDeploymentRunRequest = {};
  if (options.parameters !== undefined) request.parameters = options.parameters;
  if (options.idempotencyKey !== undefined) request.idempotencyKey = options.idempotencyKey;
  if (options.tags !== undefined) request.tags = options.tags;
  if (options.flowRunName !== undefined) request.flowRunName = options.flowRunName;
  if (options.scheduledTime !== undefined) request.scheduledTime = new Date(options.scheduledTime).toISOString();
  const context = currentContext();
  if (context !== undefined) {
    if (options.asSubflow ?? true) request.parentFlowRunId = context.flowRunId;
    // The chain travels even when the run is not a subflow: the loop guard needs it.
    request.chain = await chainOfContext(config, context);
  }
  return request;
}

async function createRun(config: ApiConfig, name: string, request: CreateDeploymentRunRequest): Promise<FlowRun> {
  try {
    return await apiRequest<FlowRun>(config, "POST", `/api/deployments/${encodeURIComponent(name)}/runs`, { body: request });
  } catch (error) {
    if ((error as { name?: unknown }).name === "NotFoundError") {
      throw new NotFoundError(
        `runDeployment: the server at ${config.url} has no deployment "${name}" (${(error as Error).message}) — register it with \`tributary deploy <file>\`.`,
      );
    }
    throw error;
  }
}

/**
 * Runs a deployment on the server and returns its flow run. It does not throw when the run fails:
 * read `run.state`. Throws a NoServerError when no server is configured, a NotFoundError for an
 * unknown deployment, an InvalidParametersError for parameters the flow does not take, and a
 * LoopGuardError when the chain of runs that led to this call already ran the deployment as many
 * times as the server allows (3 by default): a flow that runs its own deployment is stopped there.
 *
 * @example
 * const run = await runDeployment("downstream-flow/downstream-processing", {
 *   parameters: { upstreamBatchId: data.batchId },
 * });
 * if (run.state.type !== "COMPLETED") getRunLogger().warning(`downstream ended ${run.state.name}`);
 */
export async function runDeployment(name: string, options: RunDeploymentOptions = {}): Promise<FlowRun> {
  checkOptions(name, options);
  const config = resolveApiConfig("runDeployment");
  const request = await buildRequest(config, options);
  if (options.timeoutSeconds === 0) return createRun(config, name, request);

  // Subscribe before creating the run, so that its end cannot slip by; events that come before
  // the run's id is known are kept and looked at once it is.
  let creating: Promise<FlowRun> | undefined;
  let runId: string | undefined;
  const early: TributaryEvent[] = [];
  const signal = currentContext()?.signal;
  const waiting = waitForEvent<FlowRun>({
    config,
    clock: getRuntime().clock,
    ...(options.timeoutSeconds !== undefined ? { timeoutMs: options.timeoutSeconds * 1000 } : {}),
    ...(signal ? { signal } : {}),
    check: async () => {
      const first = creating === undefined;
      creating ??= createRun(config, name, request);
      const created = await creating;
      runId = created.id;
      if (isFinal(created.state)) return created;
      if (first) {
        for (const event of early.splice(0)) {
          const ended = finalRunOfEvent(event, created.id);
          if (ended) return ended;
        }
        return undefined;
      }
      const current = await getFlowRun(config, created.id);
      return isFinal(current.state) ? current : undefined;
    },
    match: (event) => {
      if (runId === undefined) {
        early.push(event);
        return undefined;
      }
      return finalRunOfEvent(event, runId);
    },
  });
  // The calling run is cancelled (or times out) while it waits: a run linked to it as a subflow
  // goes with it, like Prefect's subflow runs; one started with `asSubflow: false` is left alone.
  // Done as the signal aborts, so that the process (which exits once the run has ended) waits for it.
  const onAbort = () => {
    if (request.parentFlowRunId !== undefined && creating !== undefined) keepUntilSettled(cancelChild(config, creating));
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  let outcome: Awaited<typeof waiting>;
  try {
    outcome = await waiting;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if ("value" in outcome) return outcome.value;
  // Out of time: the run as it stands.
  const created = await (creating ?? createRun(config, name, request));
  return getFlowRun(config, created.id);
}

/** Best effort: the child may have ended meanwhile, or be executed where it cannot be cancelled. */
async function cancelChild(config: ApiConfig, creating: Promise<FlowRun>): Promise<void> {
  try {
    const child = await creating;
    if (!isFinal(child.state)) await apiRequest(config, "POST", `/api/flow-runs/${encodeURIComponent(child.id)}/cancel`);
  } catch {
    // Nothing more to do: the caller is being cancelled and reports that.
  }
}
