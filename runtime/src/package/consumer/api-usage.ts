// A consumer of the installed package that uses every public API: packed-package.test.ts
// type-checks it in a project outside the repository, as ESM and CommonJS (nodenext) and with
// bundler resolution. It is type-checked, never run.
import {
  allowFailure,
  ApiError,
  automation,
  CancelledError,
  configureRuntime,
  deploy,
  emitEvent,
  exponentialBackoff,
  FINAL_STATE_TYPES,
  flow,
  FlowRunError,
  getRunContext,
  getRunLogger,
  getRuntime,
  InvalidOptionError,
  InvalidParametersError,
  isFinal,
  isFlow,
  isStateName,
  isTaskFuture,
  isTributaryError,
  LoopGuardError,
  makeState,
  ManualClock,
  NoServerError,
  NotFoundError,
  pauseFlowRun,
  PauseTimeoutError,
  readFlowRuns,
  runDeployment,
  RunTimeoutError,
  STATE_NAMES,
  STATE_TYPES,
  systemClock,
  task,
  TaskFuture,
  TaskFutureList,
  TaskRunError,
  TributaryError,
  unmapped,
  UsageError,
  waitForFlow,
  waitForFlowRun,
  WaitTimeoutError,
  type Automation,
  type Deployment,
  type Flow,
  type FlowRun,
  type FlowRunState,
  type PauseFlowRunOptions,
  type ReadFlowRunsOptions,
  type RunDeploymentOptions,
  type State,
  type StateName,
  type StateType,
  type Task,
  type TributaryEvent,
} from "tributaryjs";

export const extract = task("extract", { retries: 3, retryDelaySeconds: exponentialBackoff(2), tags: ["io"] }, async (batchId: string) => ({
  batchId,
  rows: 100,
}));
export const transform = task("transform", { cacheKey: (_ctx, args) => String(args[0]), cacheExpirationSeconds: 60 }, (rows: number, factor: number) => rows * factor);

export const upstream: Flow<{ batchSize?: number }, { batchId: string }> = flow(
  "api-upstream",
  { description: "uses every kind of dependency", tags: ["etl"], retries: 1, timeoutSeconds: 600 },
  async ({ batchSize = 10 }: { batchSize?: number }) => {
    const logger = getRunLogger();
    const context = getRunContext();
    logger.info(`batch size ${batchSize} in ${context?.flowRunId ?? "no run"}`);
    const data = await extract("batch_1");
    const future: TaskFuture<{ batchId: string; rows: number }> = extract.submit("batch_2");
    const list: TaskFutureList<number> = transform.map([1, 2, 3], unmapped(10));
    const scaled: number[] = await list.result();
    const after = await transform.withOptions({ waitFor: [allowFailure(future)] }).submit(data.rows, scaled.length).result();
    const started: FlowRun = await runDeployment("api-downstream/process", { parameters: { batchId: data.batchId }, timeoutSeconds: 0 } satisfies RunDeploymentOptions);
    const finished: FlowRun = await waitForFlowRun(started.id, { timeoutSeconds: 60 });
    const upstreamDone: FlowRun = await waitForFlow("api-downstream", { state: "Completed", timeoutSeconds: 60 });
    const recent: FlowRun[] = await readFlowRuns({ flowName: "api-downstream", limit: 5 } satisfies ReadFlowRunsOptions);
    const event: TributaryEvent = await emitEvent("api.batch.ready", "api-upstream", { rows: after });
    logger.info(`${finished.state.name} ${upstreamDone.name} ${recent.length} ${event.id} ${isTaskFuture(future)}`);
    return { batchId: data.batchId };
  },
);

export const downstream = flow("api-downstream", async ({ batchId }: { batchId: string }) => {
  const pause: PauseFlowRunOptions = { timeoutSeconds: 600, key: "approve" };
  await pauseFlowRun(pause);
  await pauseFlowRun();
  return batchId.length;
});

export const orchestrator = flow("api-orchestrator", async () => {
  const first = await upstream({ batchSize: 5 });
  const state: FlowRunState<{ batchId: string }> = await upstream.withOptions({ returnState: true })({});
  return { first, failed: state.type === "FAILED" };
});

export const upstreamDeployment: Deployment = deploy(upstream, { name: "every-two-hours", schedule: { interval: "2h" }, parameters: { batchSize: 3 } });
export const nightly: Deployment = deploy(upstream, { name: "nightly", schedules: [{ cron: "0 2 * * *", timezone: "Europe/Paris" }], paused: true });
export const downstreamDeployment: Deployment = deploy(downstream, { name: "process", concurrencyLimit: 2 });
export const downstreamAfterUpstream: Automation = automation("api-downstream-after-upstream", {
  trigger: { type: "flow-run-state-change", match: { flow: "api-upstream" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "api-downstream/process", parameters: { batchId: "{{ flowRun.result.batchId }}" } }],
});

export function describeError(error: unknown): string {
  if (error instanceof FlowRunError) return `flow run ${error.flowRunId} failed`;
  if (error instanceof TaskRunError || error instanceof RunTimeoutError || error instanceof CancelledError || error instanceof PauseTimeoutError) return error.name;
  if (isTributaryError(error, "LoopGuardError") || error instanceof LoopGuardError) return `refused: ${error.message}`;
  if (error instanceof InvalidParametersError || error instanceof NotFoundError || error instanceof ApiError) return error.message;
  if (error instanceof NoServerError || error instanceof WaitTimeoutError || error instanceof UsageError || error instanceof InvalidOptionError) return error.message;
  if (error instanceof TributaryError || isTributaryError(error, "UsageError")) return error.message;
  return String(error);
}

export function describeState(name: StateName): { type: StateType; final: boolean } {
  const state: State = makeState(name, systemClock.now());
  return { type: STATE_NAMES[name], final: isFinal(state) && FINAL_STATE_TYPES.has(state.type) && isStateName(name) && STATE_TYPES.includes(state.type) };
}

export function configure(): void {
  configureRuntime({ clock: new ManualClock(new Date(0)), parameterSchemas: { "api-upstream": { type: "object", properties: { day: { type: "string" } } } } });
  const flows: unknown[] = [isFlow(upstream), getRuntime()];
  const typed: Task<[string], { batchId: string; rows: number }> = extract;
  void flows;
  void typed;
}
