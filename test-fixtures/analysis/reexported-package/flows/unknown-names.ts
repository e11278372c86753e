import { flow, runDeployment } from "../lib";
import { automation } from "../lib/all.js";

export const report = flow("report", async () => {
  await runDeployment("reprot/daily", { timeoutSeconds: 0 });
});

export const afterIngest = automation("after-ingest", {
  trigger: { type: "flow-run-state-change", match: { flow: "ingest" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "downstream-flow/downstream-processing" }],
});
