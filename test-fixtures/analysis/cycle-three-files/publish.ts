import { flow } from "tributaryjs";
import { ingest } from "./ingest";

export const publish = flow("publish", async ({ day }: { day: string }) => {
  // Re-ingesting from publish closes the cycle ingest → transform → publish → ingest.
  await ingest({ day });
  return day;
});
