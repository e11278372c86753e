/**
 * Futures of submitted task runs, and the markers that change how arguments are handled:
 * `allowFailure` (run downstream even if this upstream failed) and `unmapped` (hold a `.map`
 * argument constant). All are recognised by `Symbol.for` brands, so bundled copies agree.
 */
import type { State } from "./states.js";
import type { TaskRunHandle } from "./engine/task-run-handle.js";

const FUTURE = Symbol.for("tributary.future");
const ALLOW_FAILURE = Symbol.for("tributary.allowFailure");
const UNMAPPED = Symbol.for("tributary.unmapped");

/**
 * A task run started with `.submit(...)` (or one element of `.map(...)`). Pass it to another task
 * as an argument to hand over its result, or list it in `waitFor` to order runs.
 *
 * @example
 * const rows = extract.submit("batch_1");
 * const report = summarise.submit(rows);   // runs after extract, receives its result
 * console.log(await report.result());
 */
export class TaskFuture<R = unknown> {
  /** @internal the engine's handle of the run. */
  readonly [FUTURE]: TaskRunHandle;

  constructor(handle: TaskRunHandle) {
    this[FUTURE] = handle;
  }

  /** The id of the task run. */
  get taskRunId(): string {
    return this[FUTURE].record.id;
  }

  /** The task run's name, `"<taskName>-<n>"`. */
  get taskRunName(): string {
    return this[FUTURE].record.name;
  }

  /** The run's current state; it changes as the run progresses. */
  get state(): State {
    return this[FUTURE].record.state;
  }

  /** Resolves to the state the run ends in (or `NotReady` when an upstream failed). Never rejects. */
  async wait(): Promise<State> {
    return (await this[FUTURE].done).state;
  }

  /** The task's return value; rejects with a TaskRunError when the run did not complete. */
  async result(): Promise<R> {
    const outcome = await this[FUTURE].done;
    if (!outcome.ok) throw outcome.error;
    return outcome.value as R;
  }
}

export function isTaskFuture(value: unknown): value is TaskFuture {
  return typeof value === "object" && value !== null && FUTURE in value;
}

/** @internal */
export function futureHandle(future: TaskFuture): TaskRunHandle {
  return future[FUTURE];
}

/**
 * The futures of a `.map(...)` fan-out, in the order of the inputs. An array: index it, iterate it,
 * or pass it whole to another task (each element's result is handed over).
 *
 * @example
 * const parts = await extract.map(["a", "b", "c"]).result(); // [resultA, resultB, resultC]
 */
export class TaskFutureList<R = unknown> extends Array<TaskFuture<R>> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** Waits for every run to end; resolves to their states, in order. Never rejects. */
  async wait(): Promise<State[]> {
    return Promise.all(this.map((future) => future.wait()));
  }

  /**
   * Waits for every run to end, then resolves to their results in order, or rejects with the
   * TaskRunError of the first run (in input order) that did not complete.
   */
  async result(): Promise<R[]> {
    const outcomes = await Promise.all(this.map((future) => future[FUTURE].done));
    const values: R[] = [];
    for (const outcome of outcomes) {
      if (!outcome.ok) throw outcome.error;
      values.push(outcome.value as R);
    }
    return values;
  }
}

/** A value marked with {@link allowFailure}. */
export class AllowFailure<T = unknown> {
  readonly [ALLOW_FAILURE]: T;
  constructor(value: T) {
    this[ALLOW_FAILURE] = value;
  }
}

/**
 * Lets a downstream task run even when this upstream future failed. The downstream receives the
 * upstream's result, or the Error it failed with.
 *
 * @example
 * const loaded = load.submit(rows);
 * await notify(allowFailure(loaded)); // runs whether or not load failed
 */
export function allowFailure<T>(value: T): AllowFailure<T> {
  return new AllowFailure(value);
}

export function isAllowFailure(value: unknown): value is AllowFailure {
  return typeof value === "object" && value !== null && ALLOW_FAILURE in value;
}

export function allowFailureValue(value: AllowFailure): unknown {
  return value[ALLOW_FAILURE];
}

/** A value marked with {@link unmapped}. */
export class Unmapped<T = unknown> {
  readonly [UNMAPPED]: T;
  constructor(value: T) {
    this[UNMAPPED] = value;
  }
}

/**
 * Holds an argument of `.map(...)` constant: every mapped run receives the whole value.
 *
 * @example
 * await score.map(rows, unmapped(model)).result(); // score(row, model) for each row
 */
export function unmapped<T>(value: T): Unmapped<T> {
  return new Unmapped(value);
}

export function isUnmapped(value: unknown): value is Unmapped {
  return typeof value === "object" && value !== null && UNMAPPED in value;
}

export function unmappedValue(value: Unmapped): unknown {
  return value[UNMAPPED];
}
