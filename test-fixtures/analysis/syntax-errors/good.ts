import { flow, deploy, runDeployment } from "tributaryjs";

export const good = flow("good-flow", async () => {
  await runDeployment("broken-flow/manual");
});

export const goodDeployment = deploy(good, { name: "hourly", schedule: { interval: 3600 } });
