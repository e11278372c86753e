// Flows with typed parameters: `tributary run` checks and coerces `--param` values by the schema
// read from these types, and the engine checks a direct call against it.
import { flow } from "tributaryjs";

export const typed = flow("typed", async ({ n, label = "none", on = false }: { n: number; label?: string; on?: boolean }) => ({
  n: typeof n,
  label: typeof label,
  on: typeof on,
}));

// Calls `typed` with a string where its type says number (a cast, as untyped data would come).
export const callsWrong = flow("calls-wrong", async () => typed({ n: "abc" as unknown as number }));

// Opts out: the engine does not check its parameters against the schema.
export const unchecked = flow("unchecked", { validateParameters: false }, async ({ n }: { n: number }) => typeof n);

export const callsUnchecked = flow("calls-unchecked", async () => unchecked({ n: "abc" as unknown as number }));
