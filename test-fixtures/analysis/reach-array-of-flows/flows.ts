import { flow, task } from "tributaryjs";

export const a = flow("a", async () => 1);
export const b = flow("b", async () => 2);
export const c = flow("c", async () => 3);
export const fetchPart = task("fetch-part", async () => 4);
const LATER = [c, fetchPart];

// Every flow of the array runs: an edge to each, not conditional.
export const fanOut = flow("fan-out", async () => {
  await Promise.all([a, b].map((f) => f()));
  [a].forEach((f) => void f());
});

// Through a const array and a loop: runs only when the array is not empty, so conditional.
export const later = flow("later", async () => {
  for (const step of LATER) await step();
  await Promise.all(LATER.map((step) => step()));
});
