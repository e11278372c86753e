import { flow, deploy, automation, runDeployment, waitForFlow, waitForFlowRun } from "tributaryjs";

// producer starts consumer without waiting; consumer waits for producer's run.
// Nobody waits in a circle and no run starts its own starter again: no finding.
export const producer = flow("producer", async () => {
  await runDeployment("consumer/follow-up", { timeoutSeconds: 0 });
});
export const consumer = flow("consumer", async () => {
  await waitForFlow("producer", { state: "Completed" });
});
export const producerDeployment = deploy(producer, { name: "hourly", schedule: { interval: "1h" } });
export const consumerDeployment = deploy(consumer, { name: "follow-up" });

// An automation starts audit when producer completes; audit waits for producer. Not a loop either.
export const audit = flow("audit", async () => {
  await waitForFlow("producer");
});
export const auditDeployment = deploy(audit, { name: "on-producer" });
export const auditAfterProducer = automation("audit-after-producer", {
  trigger: { type: "flow-run-state-change", match: { flow: "producer" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "audit/on-producer" }],
});

// Fire and forget, then wait for that very run later in the same flow: the flow does wait on it.
export const startThenWait = flow("start-then-wait", async () => {
  const run = await runDeployment("consumer/follow-up", { timeoutSeconds: 0 });
  await waitForFlowRun(run.id);
});
