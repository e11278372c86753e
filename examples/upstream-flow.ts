// The upstream side of a dependency: prepares a batch that downstream work consumes. Downstream
// learns of a new batch in one of two ways, never both for one run:
// - event-driven (the default, and what `npm run demo` shows): the scheduled deployment
//   `upstream-data-preparation` leaves downstream alone, and the automation in downstream-flow.ts
//   runs downstream when one of its runs completes;
// - deployment-based: the deployment `upstream-then-downstream` sets `triggerDownstream`, and the
//   flow itself starts the downstream deployment with the batch id (fire and forget). The
//   automation watches only the other deployment, so these runs start downstream once.
import { deploy, flow, getRunLogger, runDeployment, task } from "tributaryjs";

export const fetchSourceData = task("fetch-source-data", { retries: 2 }, async (batchSize: number) => {
  if (!(batchSize >= 1)) throw new Error(`A batch needs at least 1 row, got batchSize ${batchSize}`);
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
  async ({ batchSize = 10, triggerDownstream = false }: { batchSize?: number; triggerDownstream?: boolean }) => {
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

/** Event-driven: every two hours; the automation `downstream-after-upstream` runs downstream after each run. */
export const upstreamDeployment = deploy(upstream, {
  name: "upstream-data-preparation",
  description: "Prepares a batch every two hours; the automation downstream-after-upstream runs downstream after each.",
  schedule: { interval: "2h" },
  parameters: { batchSize: 10 },
});

/** Deployment-based: run on demand (`tributary deployment run "upstream-flow/upstream-then-downstream"`); each run starts downstream itself. */
export const upstreamThenDownstream = deploy(upstream, {
  // tributary-ignore-next-line TRB150 -- run on demand, to show the deployment-based pattern
  name: "upstream-then-downstream",
  description: "Prepares a batch and starts downstream-processing with it (no automation involved).",
  parameters: { batchSize: 10, triggerDownstream: true },
});
