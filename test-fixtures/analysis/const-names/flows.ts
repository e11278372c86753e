import { flow, deploy, runDeployment, waitForFlow } from "tributaryjs";
import { DEPLOYMENTS, REPORT_FLOW } from "./names";

const EXPORT_FLOW = "export-" + "data";

export const report = flow(REPORT_FLOW, async () => ({ ok: true }));
export const reportDeployment = deploy(report, { name: "daily", schedule: { cron: "0 6 * * *" } });

export const exporter = flow(EXPORT_FLOW, async ({ env }: { env: string }) => {
  await runDeployment(DEPLOYMENTS.report, { timeoutSeconds: 0 });
  const flowName = REPORT_FLOW;
  await waitForFlow(flowName, { state: "Completed" });
  // Not static: depends on a parameter.
  await runDeployment(`${REPORT_FLOW}/${env}`);
  await waitForFlow(process.env.UPSTREAM ?? "daily-report");
});
