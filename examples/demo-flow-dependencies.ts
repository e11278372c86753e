// The four ways flows depend on each other, in one run:
// 1. subflows — a flow calls flows; each is a nested run;
// 2. deployment-based — runDeployment starts a deployment's run and waits for it;
// 3. state-based — a downstream run waits for the next upstream run to complete;
// 4. event-driven — an automation runs the downstream deployment when an upstream run completes
//    (and upstream itself starts downstream, fire and forget).
import { flow, getRunLogger, runDeployment, waitForFlowRun } from "tributaryjs";
import { dataProcessing } from "./data-processing-flow";

export const demo = flow(
  "demo-flow-dependencies",
  { description: "Exercises subflow, deployment, state and event dependencies." },
  async () => {
    const log = getRunLogger();

    log.info("1. Subflow: data processing runs nested in this run");
    const subflow = await dataProcessing({ source: "demo.csv" });

    log.info("2. Deployment: run downstream-processing with a batch id and wait for it");
    const deployed = await runDeployment("downstream-flow/downstream-processing", {
      parameters: { upstreamBatchId: "demo-batch" },
    });

    log.info("3. State: start a downstream run with no batch id; it waits for upstream to complete");
    const waiting = await runDeployment("downstream-flow/downstream-processing", {
      parameters: { upstreamAfter: new Date().toISOString() },
      timeoutSeconds: 0,
    });

    log.info("4. Events: run upstream; its completion wakes the waiting run and fires the automation");
    const upstreamRun = await runDeployment("upstream-flow/upstream-data-preparation", { parameters: { batchSize: 3 } });
    const woken = await waitForFlowRun(waiting.id, { timeoutSeconds: 120 });

    return {
      subflow: subflow.total,
      deployment: deployed.state.name,
      upstream: upstreamRun.state.name,
      waitingDownstream: { name: woken.name, state: woken.state.name, result: woken.result ?? null },
    };
  },
);
