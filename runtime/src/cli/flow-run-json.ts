/**
 * The JSON of one flow run, as `tributary run --json` and `tributary flow-run inspect --json` print
 * it: the run, its deployment, tags, parent and causal chain, its state history, its task runs, its
 * subflow runs (nested, the same shape) and the runs it caused. Times absent from a run that never
 * started or never ended, and links it does not have, are `null`, so every key is present.
 */
import type { CausalLink } from "../orchestrator/contract.js";
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
  tags: string[];
  deploymentId: string | null;
  /** `<flow-name>/<deployment-name>`; null for a run of no deployment (or of one since removed). */
  deploymentName: string | null;
  /** The worker that claimed the run last (its name in `tributary worker ls`); null for a run no worker executed. */
  workerName: string | null;
  parentFlowRunId: string | null;
  /** The runs, deployments and automations that led to this run, oldest first, ending with the run itself; [] when none did. */
  chain: CausalLink[];
  startTime: string | null;
  endTime: string | null;
  stateHistory: { type: State["type"]; name: State["name"]; timestamp: string }[];
  taskRuns: TaskRunJson[];
  subflowRuns: FlowRunJson[];
  /**
   * Runs whose causal chain names this run (deployment runs it or its subflows started, runs that
   * automations started because of them), oldest first. Only on the run asked for: its subflows'
   * are among them.
   */
  causedRuns?: CausedRunJson[];
}

/** A run another run caused, with the chain that led to it. */
export interface CausedRunJson {
  id: string;
  name: string;
  flowName: string;
  state: StateJson;
  deploymentName: string | null;
  chain: CausalLink[];
}

/** Deployment names by id, read once per command. */
export class DeploymentNames {
  private readonly names = new Map<string, Promise<string | null>>();

  constructor(private readonly store: Store) {}

  of(deploymentId: string | undefined): Promise<string | null> {
    if (deploymentId === undefined) return Promise.resolve(null);
    let name = this.names.get(deploymentId);
    if (name === undefined) {
      name = this.store.getDeploymentById(deploymentId).then((deployment) => deployment?.name ?? null);
      this.names.set(deploymentId, name);
    }
    return name;
  }
}

export async function buildFlowRunJson(store: Store, run: FlowRunRecord): Promise<FlowRunJson> {
  const deployments = new DeploymentNames(store);
  const json = await buildRunTree(store, run, deployments);
  json.causedRuns = [];
  for (const caused of await store.listFlowRunsCausedBy(run.id)) {
    json.causedRuns.push({
      id: caused.id,
      name: caused.name,
      flowName: caused.flowName,
      state: stateJson(caused.state),
      deploymentName: await deployments.of(caused.deploymentId),
      chain: caused.chain ?? [],
    });
  }
  return json;
}

async function buildRunTree(store: Store, run: FlowRunRecord, deployments: DeploymentNames): Promise<FlowRunJson> {
  const [history, taskRuns, subflows, deploymentName] = await Promise.all([
    store.getStateHistory(run.id),
    store.getTaskRuns(run.id),
    store.getSubflowRuns(run.id),
    deployments.of(run.deploymentId),
  ]);
  const json: FlowRunJson = {
    id: run.id,
    name: run.name,
    flowName: run.flowName,
    state: stateJson(run.state),
    parameters: run.parameters,
    ...(run.result !== undefined ? { result: run.result } : {}),
    tags: run.tags,
    deploymentId: run.deploymentId ?? null,
    deploymentName,
    workerName: run.workerName ?? null,
    parentFlowRunId: run.parentFlowRunId ?? null,
    chain: run.chain ?? [],
    startTime: run.startTime ?? null,
    endTime: run.endTime ?? null,
    stateHistory: history.map(({ type, name, timestamp }) => ({ type, name, timestamp })),
    taskRuns: taskRuns.map(taskRunJson),
    subflowRuns: [],
  };
  for (const subflow of subflows) json.subflowRuns.push(await buildRunTree(store, subflow, deployments));
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
