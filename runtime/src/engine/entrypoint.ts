/**
 * The way the CLI's child runner (and any host process) runs a flow: as a top-level run with a
 * pre-assigned id, cancellable through a signal, resolving to the final record instead of throwing.
 */
import { InvalidOptionError } from "../errors.js";
import { flowSpec, isFlow, type Flow } from "../flow.js";
import type { FlowRunRecord } from "../store/records.js";
import { describeValue } from "./option-checks.js";
import { startFlowRun } from "./flow-run.js";
import { engineRuntime } from "./runtime-config.js";

export interface RunFlowEntrypointOptions {
  /**
   * The id to give the flow run (so the caller can show and cancel it before it starts).
   * @default a random UUID
   * @example runFlowEntrypoint(etl, {}, { flowRunId: newRunId() })
   */
  flowRunId?: string;
  /**
   * Aborting it cancels the run: Cancelling, then Cancelled, with every running task run.
   * @default undefined (not cancellable from outside)
   * @example const controller = new AbortController(); process.on("SIGINT", () => controller.abort());
   */
  signal?: AbortSignal;
  /**
   * Where the flow is defined (`"flows/etl.ts:etl"`), recorded so the run can be retried or revealed.
   * @default undefined
   * @example runFlowEntrypoint(etl, {}, { entrypoint: "flows/etl.ts:etl" })
   */
  entrypoint?: string;
  /**
   * Tags added to the flow's own on this run.
   * @default []
   * @example runFlowEntrypoint(etl, {}, { tags: ["manual"] })
   */
  tags?: string[];
  /**
   * A Scheduled run already in the store (a deployment run created by the server) to execute
   * instead of creating a new one; it keeps its id, deployment, parent link and causal chain.
   * @default undefined (a new run is created)
   * @example runFlowEntrypoint(etl, scheduled.parameters, { existingRun: scheduled })
   */
  existingRun?: FlowRunRecord;
}

/**
 * Runs `flow` as a top-level run and resolves to its final record, whatever state it ends in. The
 * store is flushed before it resolves.
 *
 * @example
 * const run = await runFlowEntrypoint(etl, { day: "2024-06-01" }, { flowRunId, signal, entrypoint: "etl.ts:etl" });
 * process.exitCode = run.state.type === "COMPLETED" ? 0 : 1;
 */
export async function runFlowEntrypoint(
  flow: Flow,
  parameters: Record<string, unknown> | undefined,
  options: RunFlowEntrypointOptions = {},
): Promise<FlowRunRecord> {
  if (!isFlow(flow)) throw new InvalidOptionError(`Expected a flow made with flow(...), got ${describeValue(flow)}.`);
  const outcome = await startFlowRun(flowSpec(flow), parameters, {
    ...(options.flowRunId !== undefined ? { flowRunId: options.flowRunId } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.entrypoint !== undefined ? { entrypoint: options.entrypoint } : {}),
    ...(options.tags !== undefined ? { tags: options.tags } : {}),
    ...(options.existingRun !== undefined ? { existingRun: options.existingRun } : {}),
  });
  await engineRuntime().store.flush();
  return outcome.record;
}
