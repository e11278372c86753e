// A flow whose task fails in the user's own code: the run's log document folds the task's stack
// trace to this file's frames, as `tributary run` prints it.
import { flow, task } from "tributaryjs";

function checkRow(row: string): number {
  throw new Error(`row "${row}" has no amount`);
}

export const checkRowTask = task("check-row", async (row: string) => checkRow(row));

export const failingTask = flow("failing-task-flow", { description: "Fails in a task." }, async () => checkRowTask("bad"));
