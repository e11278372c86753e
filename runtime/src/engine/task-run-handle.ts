import type { State } from "../states.js";
import type { TaskRunRecord } from "../store/records.js";
import { Interruptible } from "./interruptible.js";

/** How a task run ended, as its callers and downstream runs see it. */
export interface TaskOutcome {
  ok: boolean;
  /** The function's return value (or the cached result), when ok. */
  value?: unknown;
  /** A TaskRunError, when not ok. */
  error?: Error;
  /** What the function threw, for a failed run; `allowFailure` passes it downstream. */
  cause?: Error;
  state: State;
}

/** The engine's side of one task run: its record, and a promise of its outcome that never rejects. */
export class TaskRunHandle extends Interruptible {
  outcome: TaskOutcome | undefined;
  done: Promise<TaskOutcome> = Promise.resolve(undefined as never);

  constructor(readonly record: TaskRunRecord) {
    super();
  }
}
