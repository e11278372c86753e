// The embedded default end to end: a flow that runs a deployment and waits for it, and an
// automation that runs the same deployment again when the flow completes.
import { automation, deploy, flow, runDeployment } from "tributaryjs";

export const downstream = flow("downstream", async ({ batchId = "none" }: { batchId?: string }) => `processed ${batchId}`);
export const downstreamProcess = deploy(downstream, { name: "process" });

export const upstream = flow("upstream", async () => {
  const child = await runDeployment("downstream/process", { parameters: { batchId: "direct" } });
  return { batchId: "from-automation", child: child.state.name };
});

export const afterUpstream = automation("after-upstream", {
  trigger: { type: "flow-run-state-change", match: { flow: "upstream" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "downstream/process", parameters: { batchId: "{{ flowRun.result.batchId }}" } }],
});
