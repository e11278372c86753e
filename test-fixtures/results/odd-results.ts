// Flows whose results JSON cannot hold as they are: each is stored as its JSON projection.
import { flow } from "tributaryjs";

/** `b` is undefined: stored as JSON.stringify writes it, `{"a":1}`. */
export const undefinedProperty = flow("undefined-property", async () => ({ a: 1, b: undefined }));

/** A BigInt is stored as its decimal string, with a warning in the run's log. */
export const bigTotal = flow("big-total", async () => ({ total: 12345678901234567890n }));
