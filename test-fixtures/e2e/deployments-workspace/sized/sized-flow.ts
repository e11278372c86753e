// A deployment whose flow has a required parameter and no default: a run of it without a value is
// refused, and the refusal offers the parameter prompts. (In its own folder, so that ▶ Run flow over
// upstream-flow.ts does not register it with the files beside that one.)
import { deploy, flow } from "tributaryjs";

export const sized = flow("sized-flow", { description: "Names a batch of the given size." }, async ({ size }: { size: number }) => `b-${size}:14`);

export const sizedDeployment = deploy(sized, { name: "default", description: "Needs a size to run." });
