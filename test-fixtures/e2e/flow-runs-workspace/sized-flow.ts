// A flow with a required parameter and no default: ▶ Run flow… asks for it. It returns a string,
// which Flow Runs shows as the run's result.
import { flow } from "tributaryjs";

export const sized = flow("sized-flow", { description: "Names a batch of the given size." }, async ({ size }: { size: number }) => `b-${size}:14`);
