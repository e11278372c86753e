import { flow, deploy, waitForFlow } from "tributaryjs";

export const downstream = flow("downstream-flow", async () => {
  // The seed's "downstream waits for upstream completion" — but upstream waits for this run.
  await waitForFlow("upstream-flow", { state: "Completed", timeoutSeconds: 3600 });
});

export const downstreamDeployment = deploy(downstream, { name: "downstream-processing" });
