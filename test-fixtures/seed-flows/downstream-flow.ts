// The downstream side of a dependency: processes the batch an upstream run prepared.
import { flow, getRunLogger, task } from "tributary";

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
  async ({ upstreamBatchId = "latest" }: { upstreamBatchId?: string }) => {
    const processed = await processBatch(upstreamBatchId);
    return publishResults(processed);
  },
);
