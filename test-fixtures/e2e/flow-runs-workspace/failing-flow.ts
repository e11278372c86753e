// A flow that fails in the user's own code: Flow Runs shows its error and the first frame of this
// file in its stack.
import { flow } from "tributaryjs";

function parseRow(row: string): number {
  throw new Error(`cannot parse row "${row}"`);
}

export const failing = flow("failing-flow", { description: "Fails parsing a row." }, async () => parseRow("bad"));
