import { flow } from "tributaryjs";

// Recursion under a depth guard: possible, reported as a warning.
export const crawl = flow("crawl", async ({ depth }: { depth: number }) => {
  if (depth > 0) {
    await crawl({ depth: depth - 1 });
  }
});

// The same guard written as an early return.
export const walk = flow("walk", async ({ depth }: { depth: number }) => {
  if (depth <= 0) return;
  await walk({ depth: depth - 1 });
});

// Fan-out over a list that may be empty.
export const tree = flow("tree", async ({ children }: { children: string[] }) => {
  await Promise.all(children.map((child) => tree({ children: child.split("/") })));
});
