import { flow } from "tributaryjs";
import { orders } from "orders-app";

// Late rows are enriched by reloading the orders: a subflow of the flow that called this one.
export const enrich = flow("enrich", async () => {
  await orders();
});
