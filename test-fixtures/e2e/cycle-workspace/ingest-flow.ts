// The ingest flow runs the report flow as a subflow, and the report flow waits for ingest:
// a dependency cycle (TRB100). The end-to-end test breaks it by deleting line 7.
import { flow } from "tributaryjs";
import { report } from "./report-flow";

export const ingest = flow("ingest", async () => {
  await report();
  return "ingested";
});
