import { flow, runDeployment } from "tributaryjs";

// Compaction publishes what it compacted, and waits for the publish run that is waiting for it.
export const compact = flow("compact", async () => {
  await runDeployment("publish/hourly");
});
