import { flow, deploy, runDeployment } from "tributaryjs";

export const flowA = flow("flow-a", async () => {
  await runDeployment("flow-b/on-demand", { timeoutSeconds: 0 });
});

export const flowADeployment = deploy(flowA, { name: "nightly", schedule: { cron: "0 3 * * *" } });
