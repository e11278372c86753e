/**
 * The JSON of one flow run, as `tributary run --json` and `tributary flow-run inspect --json` print
 * it: the run, its state history, its task runs and its subflow runs (nested, the same shape).
 * Times absent from a run that never started or never ended are `null`, so every key is present.
 */
import type { State } from "../states.js";
import type { FlowRunRecord, JsonValue, TaskRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";

export interface StateJson {
  type: State["type"];
  name: State["name"];
  message?: string;
}

export interface TaskRunJson {
  id: string;
  name: string;
  taskName: string;
  state: StateJson;
  attempts: number;
  startTime: string | null;
  endTime: string | null;
}

export interface FlowRunJson {
  id: string;
  name: string;
  flowName: string;
  state: StateJson;
  parameters: Record<string, JsonValue>;
  result?: JsonValue;
  startTime: string | null;
  endTime: string | null;
  stateHistory: { type: State["type"]; name: State["name"]; timestamp: string }[];
  taskRuns: TaskRunJson[];
  subflowRuns: FlowRunJson[];
}

export async function buildFlowRunJson(store: Store, run: FlowRunRecord): Promise<FlowRunJson> {
  const [history, taskRuns, subflows] = await Promise.all([
    store.getStateHistory(run.id),
    store.getTaskRuns(run.id),
    store.getSubflowRuns(run.id),
  ]);
  const json: FlowRunJson = {
    id: run.id,
    name: run.name,
    flowName: run.flowName,
    state: stateJson(run.state),
    parameters: run.parameters,
    ...(run.result !== undefined ? { result: run.result } : {}),
    startTime: run.startTime ?? null,
    endTime: run.endTime ?? null,
    stateHistory: history.map(({ type, name, timestamp }) => ({ type, name, timestamp })),
    taskRuns: taskRuns.map(taskRunJson),
    subflowRuns: [],
  };
  for (const subflow of subflows) json.subflowRuns.push(await buildFlowRunJson(store, subflow));
  return json;
}

export function stateJson(state: State): StateJson {
  const json: StateJson = { type: state.type, name: state.name };
  if (state.message !== undefined) json.message = state.message;
  return json;
}

function taskRunJson(run: TaskRunRecord): TaskRunJson {
  return {
    id: run.id,
    name: run.name,
    taskName: run.taskName,
    state: stateJson(run.state),
    attempts: run.attempts,
    startTime: run.startTime ?? null,
    endTime: run.endTime ?? null,
  };
}
