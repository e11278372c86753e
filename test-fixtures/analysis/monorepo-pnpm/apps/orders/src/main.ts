import { flow } from "tributaryjs";
import { enrich } from "shared-flows";

export const orders = flow("orders", async () => {
  await enrich();
});
