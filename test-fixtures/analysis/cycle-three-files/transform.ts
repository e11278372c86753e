import { flow } from "tributaryjs";
import { publish } from "./publish";

export const transform = flow("transform", async ({ day }: { day: string }) => {
  const result = await publish({ day });
  return result;
});
