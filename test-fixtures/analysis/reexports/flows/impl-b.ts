import { flow } from "tributary";
import * as all from "./index";

export const beta = flow("beta", async () => {
  await all.gamma();
});
