import { flow, runDeployment, waitForFlow } from "tributaryjs";

export const consumer = flow("consumer-flow", async () => {
  await waitForFlow("upstream-flow", { state: "Completed", timeoutSeconds: 60 });
  await runDeployment("downstream-flow/downstream-procesing", { parameters: { upstreamBatchId: "b1" }, timeoutSeconds: 0 });
});
