import { flow, task } from "tributaryjs";

export const extract = task("extract", async (id: string) => id.length);
export const child = flow("child", async () => 1);

// Started and never awaited, returned or passed on: the flow can end before them.
export const careless = flow("careless", async () => {
  const p = child();
  const q = extract("a");
  return 1;
});

// Awaited later, passed to Promise.all, returned, or submitted: fine.
export const careful = flow("careful", async () => {
  const p = child();
  const q = extract("a");
  const r = extract("b");
  await p;
  await Promise.all([q, r]);
  const future = extract.submit("c");
  const last = child();
  return last;
});
