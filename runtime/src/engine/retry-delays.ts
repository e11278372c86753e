/**
 * How long to wait before a retry. `retryDelaySeconds` may be a number (every retry), an array
 * (the n-th retry waits the n-th entry; the last entry repeats) or a function of the retry's number
 * (1 for the first retry). `retryJitterFactor` then stretches each delay by a random amount.
 */
import { InvalidOptionError } from "../errors.js";
import { describeValue } from "./option-checks.js";

/** Seconds before a retry: one number, one per retry, or a function of the retry number (from 1). */
export type RetryDelay = number | readonly number[] | ((attempt: number) => number);

/**
 * Delays that double: `factor`, `2 × factor`, `4 × factor`… seconds for retries 1, 2, 3…
 *
 * @example
 * task("extract", { retries: 3, retryDelaySeconds: exponentialBackoff(2) }, fetchRows); // waits 2 s, 4 s, 8 s
 */
export function exponentialBackoff(factor: number): (attempt: number) => number {
  if (!(typeof factor === "number" && Number.isFinite(factor) && factor >= 0)) {
    throw new InvalidOptionError(`Expected \`factor\` to be a non-negative number, got ${describeValue(factor)}.`);
  }
  return (attempt: number) => factor * 2 ** (attempt - 1);
}

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry).
 * With a jitter factor `j`, a delay `d` becomes a uniformly random value in `[d, d × (1 + j)]`,
 * so that many runs failing together do not all retry at the same instant.
 */
export function retryDelayMs(delay: RetryDelay | undefined, retry: number, jitterFactor = 0, random: () => number = Math.random): number {
  let seconds: number;
  if (delay === undefined) seconds = 0;
  else if (typeof delay === "number") seconds = delay;
  else if (typeof delay === "function") seconds = delay(retry);
  else seconds = delay[Math.min(retry, delay.length) - 1] ?? 0;
  if (!(typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0)) {
    throw new InvalidOptionError(
      `Expected \`retryDelaySeconds\` to give a non-negative number of seconds for retry ${retry}, got ${describeValue(seconds)}.`,
    );
  }
  const stretched = jitterFactor > 0 ? seconds * (1 + jitterFactor * random()) : seconds;
  return Math.round(stretched * 1000);
}
