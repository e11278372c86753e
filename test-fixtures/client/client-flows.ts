// Flows for the client tests against the real server: a deployment run that itself runs a
// deployment and waits for it, as the seed's upstream flow does.
import { emitEvent, flow, runDeployment } from "tributaryjs";

export const caller = flow("caller", async ({ b = 1 }: { b?: number }) => {
  const child = await runDeployment("add/default", { parameters: { b } });
  await emitEvent("acme.caller.done", `acme.caller.${child.id}`, { childState: child.state.name });
  return { childId: child.id, childState: child.state.name, childResult: child.result ?? null };
});
