// A flow that runs no task and no subflow: its run graph has no node to draw.
import { flow, getRunLogger } from "tributaryjs";

export const plain = flow("plain-flow", async () => {
  getRunLogger().info("Nothing to fan out");
  return "done";
});
