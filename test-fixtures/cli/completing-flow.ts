// A flow that completes: two task runs and a subflow, a log line, parameters with defaults.
// Two flows live here; the default export says which one `tributary run` picks.
import { flow, getRunLogger, task } from "tributaryjs";

export const double = task("double", async (n: number) => n * 2);
export const add = task("add", async (a: number, b: number) => a + b);

export const childFlow = flow("child-flow", async ({ n }: { n: number }) => double(n));

export const parentFlow = flow("parent-flow", async ({ n = 1, label = "none" }: { n?: number; label?: string }) => {
  getRunLogger().info(`Starting with n=${n}`);
  const doubled = await double(n);
  const fromChild = await childFlow({ n: doubled });
  const sum = await add(doubled, fromChild);
  return { sum, label };
});

export default parentFlow;
