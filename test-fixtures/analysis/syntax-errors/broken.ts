import { flow, deploy, runDeployment } from "tributaryjs";

export const broken = flow("broken-flow", async () => {
  const x = ;
  await runDeployment("good-flow/hourly"
  if (x {
});

export const brokenDeployment = deploy(broken, { name: "manual" });

await runDeployment("nowhere/at-all");
