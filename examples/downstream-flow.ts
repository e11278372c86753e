// The downstream side of a dependency: processes the batch an upstream run prepared.
// - Parameter passing: given `upstreamBatchId`, it processes that batch. Given none, it reads the
//   latest successful upstream run (`readFlowRuns`) and takes its batch.
// - State-based: only when there is no such run (none at all, or none that ended after
//   `upstreamAfter`), it waits for the next upstream run to complete and takes that run's batch.
// - Event-driven: its deployment has no schedule; the automation below runs it when a run of the
//   scheduled upstream deployment completes (and the deployment `upstream-then-downstream` starts it
//   from inside its runs: see upstream-flow.ts).
import { automation, deploy, flow, getRunLogger, readFlowRuns, task, waitForFlow, type FlowRun } from "tributaryjs";

export const processBatch = task("process-batch", async (batchId: string) => {
  getRunLogger().info(`Processing ${batchId}`);
  return { batchId, processed: true };
});

export const publishResults = task("publish-results", async (result: { batchId: string; processed: boolean }) => {
  getRunLogger().info(`Publishing results of ${result.batchId}`);
  return { ...result, published: true };
});

function batchOf(run: FlowRun): string {
  return String((run.result as { batchId?: string } | undefined)?.batchId ?? "latest");
}

export const downstream = flow(
  "downstream-flow",
  { description: "Processes and publishes a batch prepared upstream.", tags: ["etl", "downstream"] },
  async ({ upstreamBatchId, upstreamAfter }: { upstreamBatchId?: string; upstreamAfter?: string }) => {
    const log = getRunLogger();
    let batchId = upstreamBatchId;
    if (batchId === undefined) {
      const [latest] = await readFlowRuns({ flowName: "upstream-flow", state: "Completed", limit: 1 });
      if (latest !== undefined && (upstreamAfter === undefined || (latest.endTime ?? latest.createdAt) > upstreamAfter)) {
        batchId = batchOf(latest);
        log.info(`No batch id given: taking ${batchId} from the latest completed upstream run, ${latest.name}`);
      } else {
        log.info(`No batch id given and no completed upstream run${upstreamAfter !== undefined ? ` after ${upstreamAfter}` : ""}: waiting for upstream-flow to complete`);
        const upstreamRun = await waitForFlow("upstream-flow", {
          state: "Completed",
          ...(upstreamAfter !== undefined ? { after: upstreamAfter } : {}),
          timeoutSeconds: 3600,
        });
        batchId = batchOf(upstreamRun);
        log.info(`Upstream run ${upstreamRun.name} completed with ${batchId}`);
      }
    }
    const processed = await processBatch(batchId);
    return publishResults(processed);
  },
);

export const downstreamDeployment = deploy(downstream, {
  name: "downstream-processing",
  description: "Processes a batch; started by the automation below and by upstream-then-downstream runs.",
});

export const downstreamAfterUpstream = automation("downstream-after-upstream", {
  trigger: {
    type: "flow-run-state-change",
    match: { deployment: "upstream-flow/upstream-data-preparation" },
    expect: ["Completed"],
  },
  actions: [
    {
      type: "run-deployment",
      deployment: "downstream-flow/downstream-processing",
      parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" },
    },
  ],
});
