/**
 * Waits for `promise` at most `ms` milliseconds: true when it settled in time, false when the
 * bound passed first (the promise is left to go on). A rejection within the bound rejects. The
 * timer is cleared as soon as the promise settles, so the usual, quick case leaves nothing behind.
 */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    // race subscribes to the promise, so a rejection after the bound passed is not left unhandled.
    return await Promise.race([promise.then(() => true), bound]);
  } finally {
    clearTimeout(timer);
  }
}
