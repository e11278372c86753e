import { flow } from "tributary";
import { beta } from "./index";

export const alpha = flow("alpha", async () => {
  await beta();
});
