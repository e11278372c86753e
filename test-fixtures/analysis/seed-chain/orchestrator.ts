import { flow } from "tributaryjs";
import { extract, upstream } from "./upstream";

export const orchestrator = flow("orchestrator-flow", async () => {
  const r1 = await upstream({ batchSize: 5 });
  const parts = await extract.map(["a", "b", "c"]).result();
  const more = await extract.submit("d").result();
  return { r1, parts, more };
});

// Calling a flow at top level runs it.
if (require.main === module) void orchestrator();
