import { flow } from "tributaryjs";
import { beta } from "./index";

export const alpha = flow("alpha", async () => {
  await beta();
});
