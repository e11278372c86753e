import * as tr from "tributaryjs";
import { flow as defineFlow, runDeployment as run, waitForFlowRun } from "tributaryjs";

// The body of a flow given by reference: its calls are the flow's.
async function billingBody({ month }: { month: string }) {
  const handle = await run("invoice/monthly", { parameters: { month }, timeoutSeconds: 0 });
  // Waiting for the run just started makes the fire-and-forget run a waiting one.
  await waitForFlowRun(handle.id, { timeoutSeconds: 600 });
}
export const billing = defineFlow("billing", billingBody);

export const billingDeployment = tr.deploy(billing, { name: "monthly", schedule: { cron: "0 0 1 * *" } });
