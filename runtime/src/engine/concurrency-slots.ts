/**
 * Tag concurrency limits: a task whose tags have limits takes one slot of each before it runs and
 * gives them back when it ends. Slots live in the store, so limits hold across processes.
 *
 * A task that finds a limit full waits, `AwaitingConcurrencySlot` (as in Prefect). When a task of this process releases slots, the waiting
 * tasks that share a tag are woken one at a time, oldest first, until one gets a slot; other
 * processes cannot wake us, so every waiter also re-tries through the clock with a back-off.
 */
import { runtimeGlobals, type SlotWaiter } from "./runtime-config.js";
import type { FlowRunScope } from "./run-context.js";
import type { TaskRunHandle } from "./task-run-handle.js";

const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1000;

/** Takes a slot of every limited tag in `tags` for the task run, waiting as long as it takes. */
export async function acquireConcurrencySlots(
  scope: FlowRunScope,
  handle: TaskRunHandle,
  tags: readonly string[],
  signal: AbortSignal,
  onFirstWait: () => void,
): Promise<void> {
  const tryAcquire = () =>
    handle.race(scope.store.tryAcquireConcurrencySlots([...tags], handle.record.id, scope.record.id, scope.clock.now()));
  if (await tryAcquire()) return;
  onFirstWait();
  let backoffMs = FIRST_BACKOFF_MS;
  for (;;) {
    const reply = await handle.race(waitForRelease(scope, tags, backoffMs, signal));
    let acquired = false;
    try {
      acquired = await tryAcquire();
    } finally {
      reply?.(acquired);
    }
    if (acquired) return;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }
}

/** Gives back the task run's slots and wakes a waiting task of this process that shares a tag. */
export async function releaseConcurrencySlots(scope: FlowRunScope, taskRunId: string, tags: readonly string[]): Promise<void> {
  await scope.store.releaseConcurrencySlots(taskRunId);
  void wakeOneWaiter(tags);
}

/**
 * Resolves when this process releases a slot of a shared tag (with a reply callback for the waker)
 * or when the back-off has passed (with undefined); rejects when the run's signal aborts.
 */
function waitForRelease(
  scope: FlowRunScope,
  tags: readonly string[],
  backoffMs: number,
  signal: AbortSignal,
): Promise<((acquired: boolean) => void) | undefined> {
  const waiters = runtimeGlobals().slotWaiters;
  const stopSleep = new AbortController();
  return new Promise((resolve, reject) => {
    const waiter: SlotWaiter = {
      tags,
      wake: (reply) => {
        remove(waiters, waiter);
        stopSleep.abort();
        if (signal.aborted) {
          reply(false); // cancelled meanwhile: nobody will try for this slot
          reject(signal.reason);
        } else resolve(reply);
      },
    };
    waiters.push(waiter);
    scope.clock.sleep(backoffMs, AbortSignal.any([stopSleep.signal, signal])).then(
      () => {
        remove(waiters, waiter);
        resolve(undefined);
      },
      (error: unknown) => {
        if (stopSleep.signal.aborted) return; // woken by a release: already resolved
        remove(waiters, waiter);
        reject(error);
      },
    );
  });
}

async function wakeOneWaiter(releasedTags: readonly string[]): Promise<void> {
  const waiters = runtimeGlobals().slotWaiters;
  for (const waiter of [...waiters]) {
    if (!waiters.includes(waiter) || !waiter.tags.some((tag) => releasedTags.includes(tag))) continue;
    const acquired = await new Promise<boolean>((reply) => waiter.wake(reply));
    if (acquired) return;
  }
}

function remove(waiters: SlotWaiter[], waiter: SlotWaiter): void {
  const index = waiters.indexOf(waiter);
  if (index >= 0) waiters.splice(index, 1);
}
