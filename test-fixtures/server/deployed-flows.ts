// Deployments used by the server tests: a quick flow, one that runs until it is cancelled or
// killed (one run at a time), and an hourly schedule.
import { deploy, flow } from "tributary";

export const add = flow("add", async ({ a = 1, b = 2 }: { a?: number; b?: number }) => a + b);
export const addDefault = deploy(add, { name: "default", parameters: { a: 10 }, tags: ["math"] });

export const hang = flow("hang", async () => {
  // Keeps the process busy forever; the engine stops awaiting it when the run is cancelled.
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});
export const hangOneAtATime = deploy(hang, { name: "one-at-a-time", concurrencyLimit: 1 });

export const hourly = deploy(add, { name: "hourly", schedule: { interval: "1h" } });
