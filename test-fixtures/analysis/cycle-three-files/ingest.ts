import { flow } from "tributaryjs";
import { transform } from "./transform";

export const ingest = flow("ingest", async ({ day }: { day: string }) => {
  await transform({ day });
});
