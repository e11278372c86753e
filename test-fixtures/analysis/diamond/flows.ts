import { flow, task } from "tributaryjs";

const fetchRows = task("fetch-rows", async () => [1, 2, 3]);

// top → left → bottom and top → right → bottom: two paths to one flow, no cycle.
export const bottom = flow("bottom", async () => fetchRows());
export const left = flow("left", async () => {
  await bottom();
});
export const right = flow("right", async () => {
  await bottom();
});
export const top = flow("top", async () => {
  await left();
  await right();
  await bottom();
});
