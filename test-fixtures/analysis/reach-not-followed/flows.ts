import { flow, type Flow } from "tributaryjs";

export const load = flow("load", async () => 1);
declare function loadPlugins(): (typeof load)[];

// A flow given as a parameter, or returned by one: what it is is known only when the code runs.
async function runStep(step: typeof load) {
  await step();
}
export const runner = flow("runner", async ({ choose }: { choose?: () => typeof load }) => {
  await runStep(load);
  if (choose) {
    const chosen = choose();
    await chosen();
  }
});

// Part of a choice, or of an array, that cannot be followed.
export const mixed = flow("mixed", async ({ fast }: { fast: boolean }) => {
  const extra: Flow<[], number> = load;
  const pick = fast ? load : loadPlugins()[0]!;
  await pick();
  await Promise.all([load, ...loadPlugins()].map((f) => f()));
  await extra();
});

// Not a flow, not reported: a callback of plain values, a local function, a logger.
export const quiet = flow("quiet", async ({ items }: { items: string[] }) => {
  const log = (message: string) => message.length;
  const format = items.length > 0 ? (s: string) => s.trim() : (s: string) => s;
  log(format("x"));
  items.map((item) => item.toUpperCase());
  const handlers = { a: () => 1, b: () => 2 };
  handlers[items[0] === "a" ? "a" : "b"]();
  await load();
});
