/**
 * Tributary: flows, tasks, subflows, states, retries, fan-out and fan-in for TypeScript.
 * This is what user code imports as `"tributaryjs"`.
 */
export { flow, isFlow, type Flow, type FlowArgs, type FlowCallOptions, type FlowHook, type FlowOptions, type FlowResult } from "./flow.js";
export {
  task,
  type Task,
  type TaskArg,
  type TaskArgs,
  type TaskCallOptions,
  type TaskHook,
  type TaskMapArg,
  type TaskMapArgs,
  type TaskOptions,
  type WaitForItem,
} from "./task.js";
export { allowFailure, isTaskFuture, TaskFuture, TaskFutureList, unmapped, type AllowFailure, type Unmapped } from "./futures.js";
export { exponentialBackoff, type RetryDelay } from "./engine/retry-delays.js";
export type { CacheKeyContext } from "./engine/task-run.js";
export type { FlowRunState } from "./engine/run-state.js";
export { getRunContext, getRunLogger, type RunContext } from "./engine/run-context.js";
export { pauseFlowRun, type PauseFlowRunOptions } from "./engine/pause-flow-run.js";
export type { RunLogger } from "./engine/run-logger.js";
export { configureRuntime, getRuntime, type Runtime, type RuntimeOptions } from "./engine/runtime-config.js";
export { runFlowEntrypoint, type RunFlowEntrypointOptions } from "./engine/entrypoint.js";
export { ManualClock } from "./engine/manual-clock.js";
export { systemClock, type Clock } from "./engine/clock.js";
export { RunEventBus, type RunEvent, type RunEventListener } from "./engine/run-events.js";
export * from "./errors.js";
export * from "./states.js";
export type * from "./store/records.js";
export type { Store } from "./store/store.js";
export { openSqliteStore } from "./store/sqlite-store.js";
export { deploy, type Deployment, type DeployOptions } from "./deployments/deploy.js";
export type { ScheduleSpec } from "./schedules/schedule.js";
export { automation, type Automation, type AutomationOptions } from "./automations/automation.js";
export type * from "./automations/trigger-types.js";
export type * from "./automations/action-types.js";
export { runDeployment, type FlowRun, type RunDeploymentOptions } from "./api/run-deployment.js";
export { waitForFlowRun, type WaitForFlowRunOptions } from "./api/wait-for-flow-run.js";
export { waitForFlow, type WaitForFlowOptions } from "./api/wait-for-flow.js";
export { readFlowRuns, type ReadFlowRunsOptions } from "./api/read-flow-runs.js";
export { emitEvent } from "./api/emit-event.js";
export * from "./api/client-errors.js";
export type { CausalLink, EventResource, TributaryEvent } from "./orchestrator/contract.js";
