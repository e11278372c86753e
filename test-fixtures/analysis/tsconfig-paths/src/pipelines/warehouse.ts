import { flow } from "tributaryjs";
import { WAREHOUSE_FLOW } from "@shared";
import { marts } from "@pipelines/marts.js";

export const warehouse = flow(WAREHOUSE_FLOW, async () => {
  await marts();
});
