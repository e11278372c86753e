import { flow, waitForFlow } from "tributaryjs";
import { REPORT_AFTER } from "./targets";

export const reporting = flow("reporting-flow", async () => {
  await waitForFlow(REPORT_AFTER, { state: "Completed" });
});
