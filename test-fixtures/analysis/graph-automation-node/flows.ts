import { automation, deploy, flow, runDeployment } from "tributaryjs";

// Names with quotes, spaces, slashes, brackets and a hash: each graph format must escape them.
export const report = flow('report "daily" [v2]', async () => ({ ok: true }));

export const reportDeployment = deploy(report, { name: "on demand (eu)/a\\b" });

// One flow runs the same deployment twice: one edge, labelled with the count.
export const ingest = flow("ingest", async () => {
  await runDeployment('report "daily" [v2]/on demand (eu)/a\\b', { timeoutSeconds: 0 });
  await runDeployment('report "daily" [v2]/on demand (eu)/a\\b', { timeoutSeconds: 0 });
});

// An automation is a node: ingest → automation → the deployment.
export const afterIngest = automation("after ingest <ok> #1", {
  trigger: { type: "flow-run-state-change", match: { flow: "ingest" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: 'report "daily" [v2]/on demand (eu)/a\\b' }],
});
