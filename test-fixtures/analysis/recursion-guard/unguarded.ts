import { flow } from "tributaryjs";

// No guard: every run starts another and waits for it.
export const forever = flow("forever", async () => {
  await forever();
});
