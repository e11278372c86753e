import { flow, task } from "tributaryjs";

export const extract = task("extract", async (id: string) => id.length);
export const child = flow("child", async () => 1);

// A flow or task held in another name is the same flow or task.
export const parent = flow("parent", async () => {
  const sub = child;
  const again = sub;
  const step = extract;
  await again();
  await step("a");
  const future = step.submit("b");
  return future.result();
});

// The alias of a flow that calls back into its caller is still a cycle.
export const ping = flow("ping", async () => {
  const other = pong;
  await other();
});
export const pong = flow("pong", async () => {
  const back = ping;
  if (Math.random() > 2) await back();
});
