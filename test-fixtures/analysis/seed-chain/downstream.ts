import { flow, task, deploy, automation } from "tributaryjs";

const load = task("load", async (batchId: string) => batchId.length);

export const downstream = flow("downstream-flow", async ({ upstreamBatchId }: { upstreamBatchId: string }) => {
  const rows = await load(upstreamBatchId);
  return { rows };
});

export const downstreamDeployment = deploy(downstream, { name: "downstream-processing" });

export const downstreamAfterUpstream = automation("downstream-after-upstream", {
  trigger: { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "downstream-flow/downstream-processing",
              parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" } }],
});
