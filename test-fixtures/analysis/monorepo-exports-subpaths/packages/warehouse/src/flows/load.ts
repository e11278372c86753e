import { flow } from "tributaryjs";
import { refreshMarts } from "@data/marts/refresh";

export const load = flow("load-warehouse", async () => {
  await refreshMarts();
});
