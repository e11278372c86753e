import { flow } from "tributaryjs";
import { load } from "@data/warehouse/flows/load";

export const refreshMarts = flow("refresh-marts", async () => {
  await load();
});
