/**
 * A worker on a machine of its own (`tributary worker start`): the server's worker without the
 * server. It takes the deployment runs of its pools from the PostgreSQL database the servers use
 * and executes them from its own checkout of the project.
 *
 * Why the database and not the servers' HTTP API: a run writes every state of every task; through
 * the API each would be a request, where the store's group commit makes a task cost tens of
 * microseconds. So the worker is a peer of the servers on the database (as DBOS's and Hatchet's
 * workers are): it claims runs with the same atomic claim (Store.claimDueRun), so no run starts
 * twice and limits hold across every server and worker; the events it stores reach every server
 * through LISTEN/NOTIFY; it hears through the same relay of new runs, of runs ending (a freed
 * slot) and of a run of its to cancel. Its flows reach the API of `--server` (runDeployment,
 * waits, events). The servers end its runs Crashed when their heartbeats stop (orphaned-runs.ts).
 */
import { DEFAULT_MAX_CHAIN_REPEATS } from "../automations/causal-chain.js";
import { systemClock, type Clock } from "../engine/clock.js";
import type { PostgresStore } from "../store/postgres-store.js";
import type { LogLevel } from "../store/records.js";
import { API_TOKEN_ENV, API_URL_ENV, type FlowRunEventPayload } from "./contract.js";
import { resolveWorkDirRoots } from "./deployment-code.js";
import { DeploymentService } from "./deployment-service.js";
import { EventHub } from "./event-hub.js";
import { EventRelay } from "./event-relay.js";
import { wakesWorker, Worker } from "./worker.js";

export interface WorkerNodeOptions {
  /** The servers' PostgreSQL store. */
  store: PostgresStore;
  /** The API its flows talk to (a server on the same database), and its token. */
  apiUrl: string;
  token: string;
  /** This machine's checkout of the project: every run executes here. */
  projectDir: string;
  pools: readonly string[];
  /** How many runs at once at most. */
  limit?: number;
  /** Its name in `tributary worker ls`; `<host>:<pid>` unless given. */
  name?: string;
  runnerFile: string;
  runtimeLibrary: string;
  heartbeatMs?: number;
  clock?: Clock;
  log: (level: LogLevel, message: string) => void;
}

export interface RunningWorkerNode {
  readonly worker: Worker;
  /** Stops taking runs, kills those still executing (the servers end them Crashed), disconnects. */
  close(): Promise<void>;
}

export async function startWorkerNode(options: WorkerNodeOptions): Promise<RunningWorkerNode> {
  const { store, log } = options;
  const clock = options.clock ?? systemClock;
  const onError = (error: unknown) => log("error", error instanceof Error ? error.message : String(error));
  const workDirRoots = resolveWorkDirRoots([options.projectDir]);
  // The deployments' names, for the events of their runs (as a server publishes them).
  const hub: EventHub = new EventHub(store, clock, (id): string | undefined => deployments.nameOf(id), onError);
  const deployments: DeploymentService = new DeploymentService(store, hub, clock, workDirRoots, { maxChainRepeats: DEFAULT_MAX_CHAIN_REPEATS, log });
  await deployments.load();
  const worker = new Worker({
    store,
    hub,
    clock,
    runnerFile: options.runnerFile,
    runtimeLibrary: options.runtimeLibrary,
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    runEnv: () => ({ [API_URL_ENV]: options.apiUrl, [API_TOKEN_ENV]: options.token }),
    workDirRoots,
    projectDir: workDirRoots[0]!,
    pools: options.pools,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    identity: { kind: "worker", ...(options.name !== undefined ? { name: options.name } : {}) },
    onError,
  });
  hub.subscribe((event) => {
    if (wakesWorker(event)) worker.wake();
  });
  let relay: EventRelay;
  try {
    relay = await EventRelay.start({
      store,
      hub,
      log,
      onRemoteEvent: (event) => {
        if (event.event.startsWith("tributary.deployment.")) {
          deployments.noteRemoteChange(event);
          worker.wake();
        } else if (event.event === "tributary.flow-run.Cancelling") {
          const { flowRun, state } = event.payload as unknown as FlowRunEventPayload;
          worker.cancel(flowRun.id, state.message ?? "Cancelled through the API.");
        }
      },
    });
  } catch (error) {
    await worker.close();
    throw error;
  }
  worker.wake();
  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        await relay.close();
        await worker.close();
        await store.flush();
      })();
      return closing;
    },
  };
}
