// A flow file that does not parse, so it cannot be bundled.
import { flow } from "tributary";

export const broken = flow("broken", async () => {
  return { ok: true ;
});
