// A flow that runs until it is cancelled: the end-to-end test cancels it from Flow Runs.
import { flow, getRunLogger } from "tributaryjs";

export const longRunning = flow("long-running-flow", { description: "Waits ten minutes, so that it can be cancelled." }, async () => {
  getRunLogger().info("Waiting for ten minutes");
  await new Promise<void>((resolve) => setTimeout(resolve, 600_000));
});
