// The four ways flows depend on each other, in one run — each step a subflow of its own, so that
// the live progress and the final tree say which step every run belongs to:
// 1. subflows — a flow calls flows; each is a nested run;
// 2. deployment-based — runDeployment starts a deployment's run and waits for it;
// 3. state-based — a downstream run with no completed upstream run to take a batch from waits for
//    the next upstream run to complete;
// 4. event-driven — a run of the scheduled upstream deployment completes; that wakes the waiting
//    run, and the automation `downstream-after-upstream` runs downstream with the new batch.
//    (Upstream's other pattern, starting downstream itself, is the deployment
//    `upstream-flow/upstream-then-downstream`: see upstream-flow.ts. The demo does not run it.)
import { flow, getRunLogger, runDeployment, waitForFlowRun } from "tributaryjs";
import { dataProcessing } from "./data-processing-flow";

export const subflowStep = flow("demo-1-subflow", { description: "Data processing runs nested in this run." }, async () => {
  const processed = await dataProcessing({ source: "demo.csv" });
  return processed.total;
});

export const deploymentStep = flow("demo-2-deployment", { description: "Runs downstream-processing with a batch id and waits for it." }, async () => {
  const run = await runDeployment("downstream-flow/downstream-processing", { parameters: { upstreamBatchId: "demo-batch" } });
  return run.state.name;
});

export const stateStep = flow("demo-3-state", { description: "Starts a downstream run that waits for an upstream run completed from now on." }, async () => {
  const waiting = await runDeployment("downstream-flow/downstream-processing", {
    parameters: { upstreamAfter: new Date().toISOString() },
    timeoutSeconds: 0,
  });
  getRunLogger().info(`Downstream run ${waiting.name} waits for upstream-flow to complete`);
  return waiting.id;
});

export const eventStep = flow(
  "demo-4-events",
  { description: "Runs upstream; its completion wakes the waiting run and fires the automation." },
  async ({ waitingRunId }: { waitingRunId: string }) => {
    const upstreamRun = await runDeployment("upstream-flow/upstream-data-preparation", { parameters: { batchSize: 3 } });
    const woken = await waitForFlowRun(waitingRunId, { timeoutSeconds: 120 });
    return { upstream: upstreamRun.state.name, woken: { name: woken.name, state: woken.state.name, result: woken.result ?? null } };
  },
);

export const demo = flow(
  "demo-flow-dependencies",
  { description: "Exercises subflow, deployment, state and event dependencies." },
  async () => {
    const log = getRunLogger();
    log.info("1. Subflow: data processing runs nested in this run");
    const subflow = await subflowStep();
    log.info("2. Deployment: run downstream-processing with a batch id and wait for it");
    const deployment = await deploymentStep();
    log.info("3. State: start a downstream run with no batch id; it waits for upstream to complete");
    const waitingRunId = await stateStep();
    log.info("4. Events: run upstream; its completion wakes the waiting run and fires the automation");
    const events = await eventStep({ waitingRunId });
    return { subflow, deployment, upstream: events.upstream, waitingDownstream: events.woken };
  },
);

export default demo;
