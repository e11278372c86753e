import { flow, runDeployment } from "tributaryjs";

// Re-ingests the day before transforming it, and waits: but the ingest run waits for this one.
export const transform = flow("transform", async (params: { day: string }) => {
  await runDeployment("ingest/nightly", { parameters: { day: params.day } });
});

export const backfill = flow("backfill", async () => {
  await runDeployment("ingest/nighty", { parameters: { day: "2026-01-01" } });
});
