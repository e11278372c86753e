// A flow file whose top-level code throws before any flow can run.
import { flow } from "tributaryjs";

const apiKey = process.env.TRIBUTARY_FIXTURE_API_KEY;
if (apiKey === undefined) throw new Error("TRIBUTARY_FIXTURE_API_KEY is not set");

export const needsKey = flow("needs-key", async () => apiKey.length);
