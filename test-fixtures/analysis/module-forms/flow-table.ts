import { flow, task } from "tributaryjs";
// CommonJS exports of a .js file, imported from TypeScript.
import { invoice } from "./invoice.js";

const send = task("send", async (to: string) => to);

// Flows and tasks kept in an object, called through it.
export const steps = {
  mail: flow("mail", async () => {
    await table.steps.send.submit("ops@example.com");
  }),
  send,
};
export const table = { steps };

export const monthEnd = flow("month-end", async () => {
  await steps.mail();
  await invoice({ month: "2025-01" });
});
