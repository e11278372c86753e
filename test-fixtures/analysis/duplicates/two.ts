import { flow, deploy } from "tributaryjs";
import { first } from "./one";

export const second = flow("shared-name", async () => 3);
// Same flow, same deployment name as in one.ts.
export const again = deploy(first, { name: "daily", schedule: { interval: 60 } });
