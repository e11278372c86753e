import { flow, deploy, runDeployment } from "tributaryjs";

export const report = flow("report", async () => {
  await runDeployment("refresh/after-report", { timeoutSeconds: 0 });
});

export const refresh = flow("refresh", async () => ({ refreshed: true }));

export const refreshDeployment = deploy(refresh, { name: "after-report" });

// The report deployment runs whenever refresh completes, and report starts refresh: a loop.
export const reportDeployment = deploy(report, {
  name: "on-refresh",
  triggers: [{ type: "flow-run-state-change", match: { flow: "refresh" }, expect: ["Completed"] }],
});
