import { flow } from "@acme/kit";
import { publish } from "./publish";

export const refresh = flow("refresh", async () => {
  await publish();
});
