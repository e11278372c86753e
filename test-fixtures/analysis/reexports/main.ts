import { flow } from "tributaryjs";
import { first, beta } from "./flows";

export const main = flow("main", async () => {
  await first();
  await beta();
});
