import { flow, task, deploy, runDeployment, exponentialBackoff } from "tributaryjs";

export const extract = task("extract", { retries: 3, retryDelaySeconds: exponentialBackoff(2) },
  async (batchId: string) => ({ batchId, rows: 100 }));

export const upstream = flow("upstream-flow", { description: "prepares data", tags: ["etl"] },
  async ({ batchSize = 10 }: { batchSize?: number }) => {
    const data = await extract("batch_1");
    await runDeployment("downstream-flow/downstream-processing",
      { parameters: { upstreamBatchId: data.batchId }, timeoutSeconds: 0 });
    return { batchId: data.batchId, batchSize };
  });

export const upstreamDeployment = deploy(upstream, { name: "upstream-data-preparation",
  schedule: { interval: "2h" } });
