/**
 * One flow run: Pending → Running → Completed / Failed / TimedOut, AwaitingRetry → Retrying between
 * attempts, Cancelling → Cancelled when its signal (or its parent's) aborts, Crashed when the
 * engine itself fails. Before a run ends it waits for the task runs and subflow runs it started.
 * A top-level run's final state is committed to the store before its caller sees it; a subflow's,
 * like a task run's, goes with the store's next grouped commit (at the latest its parent's final
 * one): a commit per subflow cost ~300 µs of the ~430 µs a subflow call took.
 */
import { newRunId } from "../store/run-ids.js";
import { thisRunProcess } from "../store/run-process.js";
import { CancelledError, FlowRunError, RunAbortedError, RunTimeoutError, toError } from "../errors.js";
import { describeRefusedRun } from "../store/refused-runs.js";
import { isFinal, makeState, type StateName } from "../states.js";
import type { FlowRunRecord, RefusedRun, RetryBudget, RunPatch } from "../store/records.js";
import { runHooks, type RunHook } from "./hooks.js";
import { Interruptible } from "./interruptible.js";
import { onAbort } from "./on-abort.js";
import { schemaProblem } from "./parameter-schema.js";
import { parameterProblem, storableParameters } from "./parameters.js";
import { retryDelayMs, type RetryDelay } from "./retry-delays.js";
import { resolveReturnValue } from "./returned-value.js";
import { ExecutionContext, FlowRunScope, runInContext } from "./run-context.js";
import { generateFlowRunName } from "./run-names.js";
import { projectionLogLines, storedResult } from "./stored-result.js";
import { engineRuntime } from "./runtime-config.js";

/** A flow's options as the engine uses them: validated, with defaults filled in. */
export interface FlowSpec {
  name: string;
  fn: (parameters: any) => unknown;
  version: string | undefined;
  tags: readonly string[];
  retries: number;
  retryDelaySeconds: RetryDelay | undefined;
  timeoutSeconds: number | undefined;
  validateParameters: boolean;
  onCompletion: readonly RunHook<FlowRunRecord>[];
  onFailure: readonly RunHook<FlowRunRecord>[];
  onCancellation: readonly RunHook<FlowRunRecord>[];
  onCrashed: readonly RunHook<FlowRunRecord>[];
  onRunning: readonly RunHook<FlowRunRecord>[];
}

export interface FlowRunRequest {
  /** The context the flow was called from: makes this a subflow run. */
  parent?: ExecutionContext;
  flowRunId?: string;
  /** Cancels a top-level run when it aborts. */
  signal?: AbortSignal;
  entrypoint?: string;
  tags?: readonly string[];
  /**
   * A run that already exists in the store (a deployment run the server scheduled): it is run
   * under its own id and name, with its deployment, parent link and chain, going Scheduled → Pending.
   */
  existingRun?: FlowRunRecord;
}

/** How a flow run ended. */
export interface FlowOutcome {
  ok: boolean;
  value?: unknown;
  /** A FlowRunError, when not ok; its `cause` is what failed. */
  error?: Error;
  /** A copy of the final record. */
  record: FlowRunRecord;
}

/**
 * What a flow run's failure logs: the error's stack, unless the error is a task run's or a subflow
 * run's, whose own log already holds the trace (printing it again would show the trace twice, the
 * second time as engine frames around the user's call).
 */
function failureLogText(error: Error, message: string): string {
  if (error.name === "TaskRunError") return `${message} (see the task run's log)`;
  if (error.name === "FlowRunError") return `${message} (see that flow run's log)`;
  return error.stack ?? message;
}

type AttemptResult = { ok: true; value: unknown } | { ok: false; stateName: StateName; message: string; error: Error };

/** Runs the flow; for a subflow, the parent waits for it before it ends. Never rejects. */
export function startFlowRun(spec: FlowSpec, parameters: unknown, request: FlowRunRequest): Promise<FlowOutcome> {
  const running = runFlow(spec, parameters, request);
  const parentScope = request.parent?.scope;
  if (parentScope !== undefined) {
    parentScope.activeSubflows.add(running);
    void running.then(() => parentScope.activeSubflows.delete(running));
  }
  return running;
}

async function runFlow(spec: FlowSpec, parameters: unknown, request: FlowRunRequest): Promise<FlowOutcome> {
  const { store, clock, events, parameterSchemas } = engineRuntime();
  const params = parameters === undefined ? {} : parameters;
  const problem = spec.validateParameters
    ? (parameterProblem(spec.name, params) ?? schemaProblem(parameterSchemas?.[spec.name], params as Record<string, unknown>, spec.name))
    : undefined;
  const createdAt = clock.now().toISOString();
  const parent = request.parent;
  const existing = request.existingRun;
  const record: FlowRunRecord = {
    ...existing,
    id: existing?.id ?? request.flowRunId ?? newRunId(),
    name: existing?.name ?? generateFlowRunName(),
    flowName: spec.name,
    state: makeState("Pending", new Date(createdAt)),
    parameters: storableParameters(params),
    tags: [...new Set([...spec.tags, ...(existing?.tags ?? []), ...(request.tags ?? [])])],
    runCount: existing?.runCount ?? 0,
    createdAt: existing?.createdAt ?? createdAt,
    ...thisRunProcess(),
  };
  if (spec.version !== undefined) record.flowVersion = spec.version;
  if (parent !== undefined) {
    record.parentFlowRunId = parent.scope.record.id;
    if (parent.taskRun !== undefined) record.parentTaskRunId = parent.taskRun.id;
  }
  if (request.entrypoint !== undefined) record.entrypoint = request.entrypoint;
  if (existing !== undefined) store.updateFlowRun(record.id, { state: record.state, ...thisRunProcess() }, { flowRunId: record.id, epoch: record.epoch ?? 0 });
  else store.createFlowRun(record);
  if (events.size > 0) events.emit({ kind: "flow-run", run: { ...record } });

  const runController = new AbortController();
  const scope = new FlowRunScope(record, store, clock, events, runController.signal);
  const run = new FlowRunExecution(spec, scope, runController, parent === undefined);
  const external = parent?.signal ?? request.signal;
  const stopListening = external === undefined ? undefined : onAbort(external, () => run.cancel(external.reason));
  // The store refusing this execution's writes is the orchestrator's ABORT: the run stops here.
  const stopWatching = store.onWritesRefused((refused) => {
    const ours = refused.find((each) => each.flowRunId === record.id && each.epoch === scope.fence.epoch);
    if (ours !== undefined) run.abort(ours);
  });
  try {
    return await run.execute(params, problem);
  } finally {
    stopWatching();
    stopListening?.();
  }
}

class FlowRunExecution {
  private cancelReason: CancelledError | undefined;
  /** Set when the run was cancelled with a RunCrashedError: it ends Crashed. */
  private crashReason: Error | undefined;
  /** Set once the outcome is decided: a cancellation arriving later changes nothing. */
  private finishing = false;
  private attempt: { controller: AbortController; guard: Interruptible } | undefined;
  /** Set when the store refused this execution's writes: the run is not this process's any more. */
  private aborted: RefusedRun | undefined;

  constructor(
    private readonly spec: FlowSpec,
    private readonly scope: FlowRunScope,
    private readonly runController: AbortController,
    /** A top-level run commits its final state before its caller sees it; a subflow leaves it to the grouped commit. */
    private readonly commitsItsEnd: boolean,
  ) {}

  get record(): FlowRunRecord {
    return this.scope.record;
  }

  /**
   * Ends the run as Cancelled, now: the body, its task runs and its subflows stop being awaited. A
   * `RunCrashedError` ends a top-level run Crashed instead (its process must end it, and lives on).
   */
  cancel(reason: unknown): void {
    if (this.cancelReason !== undefined || this.aborted !== undefined || this.finishing || isFinal(this.record.state)) return;
    const cause = toError(reason ?? new CancelledError());
    if (cause.name === "RunCrashedError" && this.commitsItsEnd) this.crashReason = cause;
    this.cancelReason =
      cause.name === "CancelledError"
        ? (cause as CancelledError)
        : new CancelledError(
            cause.name === "RunTimeoutError"
              ? `The parent flow run timed out: ${cause.message}`
              : cause.name === "RunCrashedError"
                ? `The parent flow run crashed: ${cause.message}`
                : cause.message,
          );
    if (this.crashReason === undefined) this.transition("Cancelling", this.cancelReason.message, {});
    this.runController.abort(this.cancelReason);
    if (this.attempt !== undefined) this.abortAttempt(this.attempt, this.cancelReason);
  }

  /**
   * Stops the run because the store refused its writes (`refused`): its body, task runs and
   * subflows stop being awaited, and nothing more is written for it — no final state, no hooks
   * (what they would write is refused too). Its record takes the state the store holds.
   */
  abort(refused: RefusedRun): void {
    if (this.aborted !== undefined) return;
    this.aborted = refused;
    const reason = new RunAbortedError(describeRefusedRun(refused));
    this.runController.abort(reason);
    if (this.attempt !== undefined) this.abortAttempt(this.attempt, reason);
  }

  async execute(parameters: unknown, problem: string | undefined): Promise<FlowOutcome> {
    let result: AttemptResult;
    try {
      if (problem !== undefined) {
        result = { ok: false, stateName: "Failed", message: problem, error: new Error(problem) };
      } else {
        result = await this.runAttempts(parameters);
      }
      if (this.aborted !== undefined) return this.abortedOutcome(this.aborted);
      this.finishing = true;
      const outcome = await this.finish(result);
      // Its final state itself may be what the store refused (committed by finish for a top-level run).
      return this.aborted !== undefined ? this.abortedOutcome(this.aborted) : outcome;
    } catch (thrown) {
      if (this.aborted !== undefined) return this.abortedOutcome(this.aborted);
      return this.crash(thrown);
    }
  }

  private abortedOutcome(refused: RefusedRun): FlowOutcome {
    if (refused.current !== undefined) this.record.state = refused.current.state;
    const message = describeRefusedRun(refused);
    const error = new FlowRunError(`Flow run '${this.record.name}' of flow "${this.record.flowName}" was stopped: ${message}`, this.record.id, this.record.state.name, {
      cause: new RunAbortedError(message),
    });
    return { ok: false, error, record: { ...this.record } };
  }

  private async runAttempts(parameters: unknown): Promise<AttemptResult> {
    const { spec, scope } = this;
    // A run the server retries arrives with the attempts of its earlier execution counted.
    const earlierRuns = this.record.runCount;
    // A deployment run rescheduled after its process crashed makes only the attempts its flow's
    // retries had left (store/crash-retry.ts); any other run has them all.
    const carried = this.record.retryBudget?.carried === true ? this.record.retryBudget.left : undefined;
    const retries = carried === undefined ? spec.retries : Math.max(0, Math.min(carried, spec.retries));
    const retriesTaken = spec.retries - retries;
    const recordsBudget = this.record.deploymentId !== undefined;
    for (;;) {
      if (this.cancelReason !== undefined) return this.cancelledResult();
      const runCount = this.record.runCount + 1;
      const at = scope.clock.now();
      const attemptNumber = runCount - earlierRuns;
      const patch: RunPatch = { runCount };
      if (recordsBudget) patch.retryBudget = this.budgetAfter(attemptNumber, retries, retriesTaken);
      if (attemptNumber === 1 && carried === undefined) this.transition("Running", undefined, { ...patch, startTime: at.toISOString() });
      else this.transition("Retrying", undefined, patch);

      const attempt = { controller: new AbortController(), guard: new Interruptible() };
      this.attempt = attempt;
      scope.signal = attempt.controller.signal;
      scope.pauseCalls = 0;
      const context = new ExecutionContext(scope, attempt.controller.signal);
      if (spec.onRunning.length > 0) await runHooks(spec.onRunning, "onRunning", this.record, context);
      if (this.cancelReason !== undefined) return this.cancelledResult();

      // Only a run with a timeout pays for a timer (an AbortController, and a DOMException when it stops).
      const timer = spec.timeoutSeconds === undefined ? undefined : new AbortController();
      if (timer !== undefined) {
        const seconds = spec.timeoutSeconds!;
        void scope.clock.sleep(seconds * 1000, timer.signal).then(
          () => this.abortAttempt(attempt, new RunTimeoutError(`Flow run '${this.record.name}' timed out after ${seconds} s.`)),
          () => undefined,
        );
      }

      let result: AttemptResult;
      try {
        const returned = await attempt.guard.race(Promise.resolve(runInContext(context, () => this.spec.fn(parameters))));
        const resolved = await attempt.guard.race(resolveReturnValue(returned));
        result = resolved.ok ? resolved : { ok: false, stateName: "Failed", message: resolved.message, error: resolved.error };
      } catch (thrown) {
        const error = toError(thrown);
        result = { ok: false, stateName: "Failed", message: error.message, error };
      }
      await this.drain();
      timer?.abort();

      const interrupted = attempt.guard.interruptReason;
      if (this.cancelReason !== undefined) return this.cancelledResult();
      if (interrupted !== undefined) result = { ok: false, stateName: "TimedOut", message: interrupted.message, error: interrupted };
      if (result.ok || attemptNumber > retries) return result;

      const retry = retriesTaken + attemptNumber;
      let delayMs: number;
      try {
        delayMs = retryDelayMs(spec.retryDelaySeconds, retry);
      } catch (delayError) {
        const error = toError(delayError);
        return { ok: false, stateName: "Failed", message: `the retry delay could not be computed: ${error.message}`, error };
      }
      const message = `Retry ${retry} of ${spec.retries} in ${delayMs / 1000} s after: ${result.message}`;
      this.transition("AwaitingRetry", message, {});
      context.logger.warning(`${result.stateName === "TimedOut" ? "Timed out" : "Failed"}: ${result.message}. Retry ${retry} of ${spec.retries} in ${delayMs / 1000} s.`);
      // Committed before the next attempt starts, as Prefect proposes AwaitingRetry and waits for the
      // answer: a run ended meanwhile by someone else (the store refuses the state) is not retried.
      // Retries are rare enough for the commit not to matter.
      await scope.store.flush();
      if (this.aborted !== undefined) return this.cancelledResult();
      if (delayMs > 0) {
        try {
          await scope.clock.sleep(delayMs, this.runController.signal);
        } catch {
          return this.cancelledResult();
        }
      }
    }
  }

  /**
   * What the flow's retries cover should attempt `attemptNumber` of this execution crash (its
   * process killed): the attempts left after it and the delay before the next, recorded for a
   * server that cannot load the flow (store/crash-retry.ts).
   */
  private budgetAfter(attemptNumber: number, retries: number, retriesTaken: number): RetryBudget {
    const left = retries + 1 - attemptNumber;
    let delayMs = 0;
    if (left >= 1) {
      try {
        delayMs = retryDelayMs(this.spec.retryDelaySeconds, retriesTaken + attemptNumber);
      } catch {
        // The retry after a failure reports a delay that cannot be computed; a crash retries at once.
      }
    }
    return { left, delayMs };
  }

  /** Aborts the current attempt's signal and stops awaiting its body and task runs. */
  private abortAttempt(attempt: { controller: AbortController; guard: Interruptible }, reason: Error): void {
    if (attempt.controller.signal.aborted) return;
    attempt.controller.abort(reason);
    attempt.guard.interrupt(reason);
    const taskReason = reason.name === "RunTimeoutError" ? new CancelledError(`The flow run timed out: ${reason.message}`) : reason;
    for (const handle of this.scope.activeTasks) handle.interrupt(taskReason);
  }

  /** Waits for every task run and subflow run this attempt started (cancelled ones settle at once). */
  private async drain(): Promise<void> {
    const { activeTasks, activeSubflows } = this.scope;
    while (activeTasks.size > 0 || activeSubflows.size > 0) {
      await Promise.allSettled([...[...activeTasks].map((handle) => handle.done), ...activeSubflows]);
    }
  }

  private cancelledResult(): AttemptResult {
    if (this.crashReason !== undefined) return { ok: false, stateName: "Crashed", message: this.crashReason.message, error: this.crashReason };
    const reason = this.cancelReason!;
    return { ok: false, stateName: "Cancelled", message: reason.message, error: reason };
  }

  private async finish(result: AttemptResult): Promise<FlowOutcome> {
    const { scope, spec } = this;
    const end = scope.clock.now();
    const context = new ExecutionContext(scope, scope.signal);
    let outcome: FlowOutcome;
    if (result.ok) {
      const patch: RunPatch = { endTime: end.toISOString() };
      const stored = storedResult(result.value);
      if (stored.value !== undefined) patch.result = stored.value;
      for (const line of projectionLogLines(`flow run "${this.record.name}"`, stored.projections)) context.logger.warning(line);
      this.transition("Completed", undefined, patch);
      if (spec.onCompletion.length > 0) await runHooks(spec.onCompletion, "onCompletion", this.record, context);
      outcome = { ok: true, value: result.value, record: { ...this.record } };
    } else {
      this.transition(result.stateName, result.message, { endTime: end.toISOString() });
      if (result.stateName === "Cancelled") {
        context.logger.info(`Cancelled: ${result.message}`);
        await runHooks(spec.onCancellation, "onCancellation", this.record, context);
      } else if (result.stateName === "Crashed") {
        const cause = result.error.cause instanceof Error ? result.error.cause.stack : undefined;
        context.logger.error(`Crashed: ${result.message}${cause !== undefined ? `\n${cause}` : ""}`);
        await runHooks(spec.onCrashed, "onCrashed", this.record, context);
      } else {
        context.logger.error(`${result.stateName === "TimedOut" ? "Timed out" : "Failed"}: ${failureLogText(result.error, result.message)}`);
        await runHooks(spec.onFailure, "onFailure", this.record, context);
      }
      outcome = { ok: false, error: this.runError(result.stateName, result.message, result.error), record: { ...this.record } };
    }
    if (this.commitsItsEnd) await scope.store.flush();
    return outcome;
  }

  /** The engine failed (not the flow's code): record Crashed as well as we can. */
  private async crash(thrown: unknown): Promise<FlowOutcome> {
    const error = toError(thrown);
    const message = `The engine failed while running this flow: ${error.message}`;
    try {
      this.transition("Crashed", message, { endTime: this.scope.clock.now().toISOString() });
    } catch {
      this.record.state = makeState("Crashed", new Date(), message);
    }
    const context = new ExecutionContext(this.scope, this.scope.signal);
    await runHooks(this.spec.onCrashed, "onCrashed", this.record, context);
    try {
      // Crashed is rare and means something is wrong: committed at once, subflow or not.
      await this.scope.store.flush();
    } catch {
      // The store is what failed; the outcome still says Crashed.
    }
    return { ok: false, error: this.runError("Crashed", message, error), record: { ...this.record } };
  }

  private runError(stateName: StateName, message: string, cause: Error): FlowRunError {
    const verb = stateName === "Cancelled" ? "was cancelled" : stateName === "TimedOut" ? "timed out" : stateName === "Crashed" ? "crashed" : "failed";
    return new FlowRunError(`Flow run '${this.record.name}' of flow "${this.record.flowName}" ${verb}: ${message}`, this.record.id, stateName, {
      cause,
    });
  }

  private transition(name: StateName, message: string | undefined, patch: RunPatch): void {
    this.scope.transition(name, message, patch);
  }
}
