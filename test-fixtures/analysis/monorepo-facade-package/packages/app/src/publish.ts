import { flow } from "@acme/kit";
import { refresh } from "./refresh";

export const publish = flow("publish", async () => {
  await refresh();
});
