import { flow } from "tributaryjs";

export const pipeline = {
  load: flow("load", async () => 1),
  clean: flow("clean", async () => 2),
};
