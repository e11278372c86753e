import { flow, deploy, automation, runDeployment, waitForFlow, readFlowRuns } from "tributaryjs";

export const ingest = flow("ingest", async () => ({ rows: 3 }));
export const ingestDeployment = deploy(ingest, { name: "hourly", schedule: { interval: "1h" } });

export const consumer = flow("consumer", async () => {
  // Known names: nothing to report.
  await runDeployment("ingest/hourly", { timeoutSeconds: 0 });
  await waitForFlow("ingest");
  await readFlowRuns({ flowName: "ingest", deploymentName: "ingest/hourly", limit: 5 });
  // Unknown names.
  await runDeployment("ingest/hourlly", { timeoutSeconds: 0 });
  await runDeployment("ingest/weekly", { timeoutSeconds: 0 });
  await runDeployment("ingest", { timeoutSeconds: 0 });
  await waitForFlow("ingset");
  await readFlowRuns({ flowName: "nobody", deploymentName: "nobody/never" });
});

export const onIngest = automation("on-ingest", {
  trigger: { type: "flow-run-state-change", match: { flow: ["ingest", "egest"], deployment: "ingest/daily" }, expect: ["Completed"] },
  actions: [
    { type: "run-deployment", deployment: "consumer/manual" },
    { type: "pause-deployment", deployment: "ingest/hourly" },
  ],
});

// Wildcards: "inge*" fits "ingest"; "report-*" fits nothing.
export const onAnyIngest = automation("on-any-ingest", {
  trigger: { type: "flow-run-state-change", match: { flow: "inge*", deployment: "*/hourly" }, expect: ["Failed"] },
  actions: [{ type: "pause-deployment", deployment: "ingest/hourly" }],
});
export const onReports = automation("on-reports", {
  trigger: { type: "flow-run-state-change", match: { flow: "report-*" }, expect: ["Failed"] },
  actions: [{ type: "call-webhook", url: "https://example.com" }],
});
