// The upstream side of a dependency: prepares a batch that downstream work consumes, then starts
// the downstream deployment with the batch id (a deployment-based dependency, fire and forget).
import { deploy, flow, getRunLogger, runDeployment, task } from "tributaryjs";

export const fetchSourceData = task("fetch-source-data", { retries: 2 }, async (batchSize: number) => {
  getRunLogger().info(`Fetching ${batchSize} source rows`);
  return Array.from({ length: batchSize }, (_, i) => ({ row: i, amount: 100 + i }));
});

export const validateData = task("validate-data", async (rows: { row: number; amount: number }[]) => {
  const valid = rows.filter((r) => r.amount > 0);
  getRunLogger().info(`${valid.length} of ${rows.length} rows are valid`);
  return valid;
});

export const upstream = flow(
  "upstream-flow",
  { description: "Prepares a batch of data for downstream processing.", tags: ["etl", "upstream"] },
  async ({ batchSize = 10, triggerDownstream = true }: { batchSize?: number; triggerDownstream?: boolean }) => {
    const rows = await fetchSourceData(batchSize);
    const valid = await validateData(rows);
    const batchId = `batch-${valid.length}-${valid.reduce((sum, r) => sum + r.amount, 0)}`;
    getRunLogger().info(`Prepared ${batchId}`);
    if (triggerDownstream) {
      const downstreamRun = await runDeployment("downstream-flow/downstream-processing", {
        parameters: { upstreamBatchId: batchId },
        timeoutSeconds: 0,
      });
      getRunLogger().info(`Started downstream run ${downstreamRun.name} for ${batchId}`);
    }
    return { batchId, rows: valid.length };
  },
);

export const upstreamDeployment = deploy(upstream, {
  name: "upstream-data-preparation",
  description: "Prepares a batch every two hours.",
  schedule: { interval: "2h" },
  parameters: { batchSize: 10 },
});
