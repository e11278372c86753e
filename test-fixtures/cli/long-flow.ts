// A flow that waits far longer than any test: it logs its process id, then waits in a task, so a
// test can kill its process or cancel it once the "waiting" line shows.
import { flow, getRunLogger, task } from "tributaryjs";

const waitLong = task("wait-long", async () => {
  getRunLogger().info(`waiting in pid=${process.pid}`);
  await new Promise((resolve) => setTimeout(resolve, 10 * 60 * 1000));
});

export const longFlow = flow("long-flow", async () => {
  await waitLong();
  return "done";
});
