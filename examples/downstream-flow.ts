// The downstream side of a dependency: processes the batch an upstream run prepared. Given no batch
// id, it waits for the next upstream run to complete and takes that run's batch (a state-based
// dependency). Its deployment has no schedule: upstream runs start it, and so does the automation
// below when an upstream run completes (an event-driven dependency).
import { automation, deploy, flow, getRunLogger, task, waitForFlow } from "tributaryjs";

export const processBatch = task("process-batch", async (batchId: string) => {
  getRunLogger().info(`Processing ${batchId}`);
  return { batchId, processed: true };
});

export const publishResults = task("publish-results", async (result: { batchId: string; processed: boolean }) => {
  getRunLogger().info(`Publishing results of ${result.batchId}`);
  return { ...result, published: true };
});

export const downstream = flow(
  "downstream-flow",
  { description: "Processes and publishes a batch prepared upstream.", tags: ["etl", "downstream"] },
  async ({ upstreamBatchId, upstreamAfter }: { upstreamBatchId?: string; upstreamAfter?: string }) => {
    let batchId = upstreamBatchId;
    if (batchId === undefined) {
      getRunLogger().info("No batch id given: waiting for upstream-flow to complete");
      const upstreamRun = await waitForFlow("upstream-flow", {
        state: "Completed",
        ...(upstreamAfter !== undefined ? { after: upstreamAfter } : {}),
        timeoutSeconds: 3600,
      });
      batchId = String((upstreamRun.result as { batchId?: string } | undefined)?.batchId ?? "latest");
      getRunLogger().info(`Upstream run ${upstreamRun.name} completed with ${batchId}`);
    }
    const processed = await processBatch(batchId);
    return publishResults(processed);
  },
);

export const downstreamDeployment = deploy(downstream, {
  name: "downstream-processing",
  description: "Processes a batch; started by upstream runs and by the automation below.",
});

export const downstreamAfterUpstream = automation("downstream-after-upstream", {
  trigger: { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] },
  actions: [
    {
      type: "run-deployment",
      deployment: "downstream-flow/downstream-processing",
      parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" },
    },
  ],
});
