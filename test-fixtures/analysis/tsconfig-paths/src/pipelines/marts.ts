import { flow } from "tributaryjs";
import { warehouse } from "./warehouse.js";

export const marts = flow("marts", async () => {
  await warehouse();
});
