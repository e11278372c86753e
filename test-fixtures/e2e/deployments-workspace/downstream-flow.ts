// The downstream side, like the seed's downstream-flow.ts: processes the batch an upstream run
// prepared. Its deployment has no schedule; the automation below runs it when upstream completes.
import { automation, deploy, flow, getRunLogger, task } from "tributaryjs";

export const processBatch = task("process-batch", async (batchId: string) => {
  getRunLogger().info(`Processing ${batchId}`);
  return { batchId, processed: true };
});

export const downstream = flow(
  "downstream-flow",
  { description: "Processes a batch prepared upstream.", tags: ["etl", "downstream"] },
  async ({ upstreamBatchId = "latest" }: { upstreamBatchId?: string }) => processBatch(upstreamBatchId),
);

export const downstreamDeployment = deploy(downstream, {
  name: "downstream-processing",
  description: "Processes a batch; started by the automation below.",
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
