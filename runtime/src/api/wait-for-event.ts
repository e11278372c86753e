/**
 * Waiting pushed by the event stream: subscribe first, then read the current state (so an event
 * between the read and the subscription cannot be missed), then settle on the first event that
 * answers. The timeout runs on the runtime Clock; the wait also ends when the calling run is
 * cancelled.
 */
import type { Clock } from "../engine/clock.js";
import type { TributaryEvent } from "../orchestrator/contract.js";
import type { ApiConfig } from "./api-config.js";
import { sharedEventStream, type Subscription } from "./event-stream.js";

/** How long `waitForFlowRun` and `waitForFlow` wait when not told: 3 hours, as Prefect's `wait_for_flow_run`. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 10_800;

/** "10800 s (the default timeout; …)": the limit a wait ran out of, for its error message. */
export function describeWaitTimeout(timeoutSeconds: number | undefined): string {
  return timeoutSeconds === undefined
    ? `${DEFAULT_WAIT_TIMEOUT_SECONDS} s (the default timeout; pass timeoutSeconds to wait longer)`
    : `${timeoutSeconds} s`;
}

type Maybe<T> = T | undefined | Promise<T | undefined>;

export interface WaitSpec<T> {
  config: ApiConfig;
  clock: Clock;
  /** Reads the current state: a value ends the wait. Called once open, and again after a reconnect. */
  check: () => Maybe<T>;
  /** Looks at one event: a value ends the wait. */
  match: (event: TributaryEvent) => Maybe<T>;
  /** Absent: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type WaitOutcome<T> = { value: T } | { timedOut: true };

export function waitForEvent<T>(spec: WaitSpec<T>): Promise<WaitOutcome<T>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let subscription: Subscription | undefined;
    const timer = new AbortController();
    const onAbort = () => finish(() => reject(spec.signal?.reason));
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      timer.abort();
      subscription?.close();
      spec.signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const consider = (answer: () => Maybe<T>) => {
      if (settled) return;
      let pending: Maybe<T>;
      try {
        pending = answer();
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      Promise.resolve(pending).then(
        (value) => {
          if (value !== undefined) finish(() => resolve({ value }));
        },
        (error: unknown) => finish(() => reject(error)),
      );
    };

    if (spec.signal?.aborted) {
      reject(spec.signal.reason);
      return;
    }
    spec.signal?.addEventListener("abort", onAbort, { once: true });
    if (spec.timeoutMs !== undefined) {
      spec.clock.sleep(spec.timeoutMs, timer.signal).then(
        () => finish(() => resolve({ timedOut: true })),
        () => undefined,
      );
    }
    sharedEventStream(spec.config)
      .subscribe({ onEvent: (event) => consider(() => spec.match(event)), onReconnect: () => consider(spec.check) })
      .then(
        (opened) => {
          if (settled) {
            opened.close();
            return;
          }
          subscription = opened;
          consider(spec.check);
        },
        (error: unknown) => finish(() => reject(error)),
      );
  });
}
