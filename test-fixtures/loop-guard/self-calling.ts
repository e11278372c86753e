// A flow whose deployment runs itself through runDeployment: a loop the runtime guard must stop.
// `depth` bounds the chain so that, without the guard, the test ends (with too many runs).
import { deploy, flow, runDeployment } from "tributaryjs";

export const again = flow("again", async ({ depth = 0 }: { depth?: number }) => {
  if (depth >= 6) return { depth, child: "none" };
  const child = await runDeployment("again/self", { parameters: { depth: depth + 1 } });
  return { depth, child: child.state.name };
});

export const againSelf = deploy(again, { name: "self" });
