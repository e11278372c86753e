import { flow, runDeployment } from "tributaryjs";

export const poller = flow("poller", async ({ round }: { round: number }) => {
  // tributary-ignore-next-line TRB100 -- bounded by the round counter in production
  await poller({ round: round + 1 });
});

export const other = flow("other", async () => {
  // tributary-ignore-next-line TRB110 -- registered by another repository
  await runDeployment("external/deployment");
  // tributary-ignore-next-line TRB130 -- a different code does not silence TRB110
  await runDeployment("external/also-missing");
  // tributary-ignore-next-line
  await runDeployment("silenced/by-a-bare-comment");
});
