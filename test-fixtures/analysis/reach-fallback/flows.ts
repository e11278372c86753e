import { flow } from "tributaryjs";

export const quickLoad = flow("quick-load", async () => 1);
export const fullLoad = flow("full-load", async () => 2);

const LOADERS: Record<string, typeof quickLoad | undefined> = { quick: quickLoad };

// `??` and `||` choose when the code runs: an edge to each side, conditional at the left one.
export const loader = flow("loader", async ({ kind }: { kind: string }) => {
  const load = LOADERS[kind] ?? fullLoad;
  await load();
  await (LOADERS.quick || fullLoad)();
});

// A fallback to the flow that runs it: a possible cycle, a warning.
export const retrying = flow("retrying", async ({ again }: { again: boolean }) => {
  const next = (again && retrying) || quickLoad;
  await next({ again: false });
});

// A logger chosen the same way is no flow: nothing to report.
export const quiet = flow("quiet", async ({ verbose }: { verbose?: (line: string) => void }) => {
  const log = verbose ?? console.log;
  log("quiet");
});
