// A flow file that does not parse, so it cannot be bundled.
import { flow } from "tributaryjs";

export const broken = flow("broken", async () => {
  return { ok: true ;
});
