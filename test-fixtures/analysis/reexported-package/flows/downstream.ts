import { t } from "../lib/namespace";
import { upstream } from "./upstream";

export const downstream = t.flow("downstream-flow", async () => {
  await upstream();
});

export const downstreamDeployment = t.deploy(downstream, { name: "downstream-processing" });
