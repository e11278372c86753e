// A flow that pauses itself until `tributary flow-run resume` (or its pause's timeout), then logs
// that it carried on.
import { flow, getRunLogger, pauseFlowRun } from "tributaryjs";

export const pausingFlow = flow("pausing-flow", async ({ pauseSeconds = 600 }: { pauseSeconds?: number }) => {
  getRunLogger().info("before the pause");
  await pauseFlowRun({ timeoutSeconds: pauseSeconds, key: "approve" });
  getRunLogger().info("after the pause");
  return "approved";
});
