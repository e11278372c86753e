// The upstream side, like the seed's upstream-flow.ts: prepares a batch. Unlike the seed it does not
// start the downstream deployment itself, so that the downstream run the end-to-end test sees is
// the automation's (downstream-flow.ts).
import { deploy, flow, getRunLogger, task } from "tributaryjs";

export const fetchSourceData = task("fetch-source-data", async (batchSize: number) => {
  getRunLogger().info(`Fetching ${batchSize} source rows`);
  return Array.from({ length: batchSize }, (_, i) => ({ row: i, amount: 100 + i }));
});

export const upstream = flow(
  "upstream-flow",
  { description: "Prepares a batch of data for downstream processing.", tags: ["etl", "upstream"] },
  async ({ batchSize = 10, shout = false }: { batchSize?: number; shout?: boolean }) => {
    const rows = await fetchSourceData(batchSize);
    const batchId = `batch-${rows.length}-${rows.reduce((sum, r) => sum + r.amount, 0)}`;
    getRunLogger().info(shout ? `PREPARED ${batchId.toUpperCase()}` : `Prepared ${batchId}`);
    return { batchId, rows: rows.length };
  },
);

// Weekly, at an odd minute (Wednesdays 03:17 UTC): the test asserts that the deployment's scheduled
// runs have not happened, so none may come due while it runs. With the seed's two hours (anchored,
// as Prefect's, at 2020-01-01 00:00 UTC) one did whenever the test spanned an even UTC hour.
export const upstreamDeployment = deploy(upstream, {
  name: "upstream-data-preparation",
  description: "Prepares a batch every week.",
  schedule: { interval: "7d", anchor: "2020-01-01T03:17:00Z" },
  parameters: { batchSize: 10 },
});
