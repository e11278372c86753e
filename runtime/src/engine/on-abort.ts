/**
 * Listening to a run's abort signal once per child run. A parent that fans out to 1,000 subflows
 * would otherwise add 1,000 listeners to one AbortSignal: Node checks each new listener against
 * the ones already there (quadratic in the fan-out) and warns of a leak past 10. Here each signal
 * gets one listener, which calls the callbacks registered for it, in registration order.
 */
const callbacksBySignal = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` once when `signal` aborts (at once when it already has); returns what stops that. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let callbacks = callbacksBySignal.get(signal);
  if (callbacks === undefined) {
    const registered = new Set<() => void>();
    callbacks = registered;
    callbacksBySignal.set(signal, registered);
    signal.addEventListener(
      "abort",
      () => {
        callbacksBySignal.delete(signal);
        for (const call of registered) call();
      },
      { once: true },
    );
  }
  const entry = () => callback();
  callbacks.add(entry);
  const registered = callbacks;
  return () => {
    registered.delete(entry);
  };
}
