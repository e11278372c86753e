// The upstream side of a dependency: prepares a batch that downstream work consumes.
import { flow, getRunLogger, task } from "tributary";

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
  async ({ batchSize = 10 }: { batchSize?: number }) => {
    const rows = await fetchSourceData(batchSize);
    const valid = await validateData(rows);
    const batchId = `batch-${valid.length}-${valid.reduce((sum, r) => sum + r.amount, 0)}`;
    getRunLogger().info(`Prepared ${batchId}`);
    return { batchId, rows: valid.length };
  },
);
