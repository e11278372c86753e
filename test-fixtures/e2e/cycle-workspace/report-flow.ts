import { flow, waitForFlow } from "tributary";

export const report = flow("report", async () => {
  await waitForFlow("ingest");
  return "reported";
});
