import { flow } from "tributaryjs";
import * as all from "./index";

export const beta = flow("beta", async () => {
  await all.gamma();
});
