import { flow } from "tributaryjs";
import { transform } from "@acme/transform";

export const report = flow("report", async () => {
  await transform({ day: "today" });
});
