// A flow with a 2 s timeout whose task spins the CPU for 8 s, checking Date.now(): the engine's
// timer lives on this process's event loop, which the loop blocks, so only the parent
// (`tributary run`) can end the run in time.
import { flow, getRunLogger, task } from "tributaryjs";

const spinEightSeconds = task("spin-8s", async () => {
  getRunLogger().info(`spinning in pid=${process.pid}`);
  const until = Date.now() + 8000;
  while (Date.now() < until);
  return "spun";
});

export const spinPastTimeout = flow("spin-past-timeout", { timeoutSeconds: 2 }, async () => spinEightSeconds());
