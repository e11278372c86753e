/**
 * Something the engine awaits on behalf of a run and must be able to stop awaiting: when a run is
 * cancelled, the user's function may ignore its signal, but the run still ends now.
 */
export class Interruptible {
  /** Why the run was interrupted; set once. */
  interruptReason: Error | undefined;
  private interruptCurrent: ((reason: Error) => void) | undefined;

  /** Settles like `promise`, or rejects with the interrupt reason as soon as `interrupt` is called. */
  race<T>(promise: PromiseLike<T>): Promise<T> {
    if (this.interruptReason !== undefined) return Promise.reject(this.interruptReason);
    return new Promise<T>((resolve, reject) => {
      this.interruptCurrent = reject;
      promise.then(resolve, reject);
    });
  }

  interrupt(reason: Error): void {
    if (this.interruptReason !== undefined) return;
    this.interruptReason = reason;
    this.interruptCurrent?.(reason);
  }
}
