// A flow whose task throws, so the run ends Failed.
import { flow, task } from "tributaryjs";

const writeReport = task("write-report", async (): Promise<string> => {
  throw new Error("disk full while writing report.csv");
});

export const failingFlow = flow("failing-flow", async () => {
  await writeReport();
  return "unreachable";
});
