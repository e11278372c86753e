import { flow, deploy, runDeployment } from "tributaryjs";

export const upstream = flow("upstream-flow", async () => {
  // Waits: no timeoutSeconds.
  const run = await runDeployment("downstream-flow/downstream-processing", { parameters: {} });
  return run.state;
});

export const upstreamDeployment = deploy(upstream, { name: "nightly", schedule: { cron: "0 2 * * *", timezone: "Europe/Berlin" } });
