// A parent whose subflow pauses until it is resumed, then logs: the run graph's details of that
// subflow must follow it (they were read once, when the node was clicked, and said "No logs.").
// The parent comes first: the test clicks the file's first ▶ Run flow.
import { flow, getRunLogger, pauseFlowRun } from "tributaryjs";

export const pausedParent = flow("paused-parent", async (): Promise<string> => waitingStep());

export const waitingStep = flow("waiting-step", async () => {
  // Short enough that a run a failed test leaves paused ends by itself soon.
  await pauseFlowRun({ timeoutSeconds: 180 });
  getRunLogger().info("Resumed: writing the report");
  return "report";
});
