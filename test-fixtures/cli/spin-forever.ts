// A flow with a 1 s timeout that never yields its event loop: it cannot hear its own timeout.
import { flow } from "tributaryjs";

export const spinForever = flow("spin-forever", { timeoutSeconds: 1 }, async () => {
  while (true) {}
});
