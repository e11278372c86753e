// A flow whose task blocks its process's event loop, so it cannot hear a cancellation: only
// killing the process ends it (the second Ctrl-C). The loop starts in the same turn as the log
// line, so no cancellation can slip in between; the line itself leaves at once over IPC (the
// store's commit of this turn never happens, so the parent writes what it was told).
import { flow, getRunLogger, task } from "tributaryjs";

const spin = task("spin", async () => {
  getRunLogger().info(`spinning in pid=${process.pid}`);
  for (;;);
});

export const busyFlow = flow("busy-flow", async () => {
  await spin();
});
