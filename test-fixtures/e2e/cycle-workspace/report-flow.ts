import { flow, waitForFlow } from "tributaryjs";

export const report = flow("report", async () => {
  await waitForFlow("ingest");
  return "reported";
});
