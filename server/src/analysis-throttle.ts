import type { Disposable } from "vscode-languageserver";

/**
 * When re-analysis runs after edits: the first edit after a quiet spell is analysed on the next
 * turn of the event loop (diagnostics follow a single edit at once); edits that arrive while
 * analyses are close together wait for the end of the window, and are analysed together then.
 * So a burst of typing costs one analysis per window, never one per keystroke.
 */
export class AnalysisThrottle implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private lastRun = -Infinity;

  constructor(
    private readonly windowMs: number,
    private readonly run: () => void,
  ) {}

  schedule(): void {
    if (this.timer || this.immediate) return;
    const wait = this.lastRun + this.windowMs - performance.now();
    if (wait <= 0) this.immediate = setImmediate(() => this.fire());
    else this.timer = setTimeout(() => this.fire(), wait);
  }

  /** Runs now what is scheduled (a request needs the latest analysis). */
  flush(): void {
    if (this.timer || this.immediate) this.fire();
  }

  private fire(): void {
    this.cancel();
    this.lastRun = performance.now();
    this.run();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  dispose(): void {
    this.cancel();
  }
}
