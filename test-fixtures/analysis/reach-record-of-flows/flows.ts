import { flow } from "tributaryjs";

export const load = flow("load", async () => 1);
export const clean = flow("clean", async () => 2);
export const report = flow("report", async () => 3);
export const STEPS = { load, clean };

// A literal key picks one flow: an edge to it.
export const byLiteral = flow("by-literal", async () => {
  await STEPS["load"]();
  await STEPS.clean();
  const local = { report };
  await local["report"]();
});

// A key known when the code runs: an edge to each flow it can pick, conditional at the key.
export const byKey = flow("by-key", async ({ step }: { step: "load" | "clean" }) => {
  await STEPS[step]();
  const handlers: Record<string, typeof report> = { report, load };
  const handler = handlers[step];
  if (handler) await handler();
});

// Every flow of the record, in turn: an edge to each, conditional as the calls of any callback
// that is not over an array literal.
export const everyStep = flow("every-step", async () => {
  await Promise.all(Object.values(STEPS).map((step) => step()));
});
