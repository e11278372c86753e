import { flow } from "tributaryjs";

export const quickLoad = flow("quick-load", async () => 1);
export const fullLoad = flow("full-load", async () => 2);

// The flow is chosen when the code runs: an edge to each, conditional at the choice.
export const loader = flow("loader", async ({ fast }: { fast: boolean }) => {
  const load = fast ? quickLoad : fullLoad;
  await load();
  await (fast ? fullLoad : quickLoad)();
});

// A choice of the flow that runs it: a possible cycle, a warning.
export const retrying = flow("retrying", async ({ again }: { again: boolean }) => {
  const next = again ? retrying : quickLoad;
  await next({ again: false });
});

// Chosen once, at module level, from the environment.
const envLoad = process.env.FULL_LOAD ? fullLoad : quickLoad;
export const scheduled = flow("scheduled", async () => {
  await envLoad();
});
