import { flow, runDeployment, task } from "../lib/tributary";

const prepare = task("prepare", async () => 1);

export const upstream = flow("upstream-flow", async () => {
  await prepare();
  await runDeployment("downstream-flow/downstream-processing", { parameters: {} });
});
