// The seed flows plus one that passes futures between tasks, so that its run graph has edges
// (TaskRunRecord.upstreamTaskRunIds) and one failed task run among completed ones.
import { flow, task } from "tributaryjs";

export const extractRows = task("extract-rows", async () => [1, 2, 3]);
export const doubleRows = task("double-rows", async (rows: number[]) => rows.map((r) => r * 2));
export const countRows = task("count-rows", async (rows: number[]) => rows.length);
export const flakyCheck = task("flaky-check", async () => {
  throw new Error("The flaky check failed, as it always does here");
});

export const futuresPipeline = flow("futures-pipeline", async () => {
  const rows = extractRows.submit();
  const doubled = doubleRows.submit(rows);
  const check = flakyCheck.submit();
  await check.wait();
  return countRows(doubled);
});
