/**
 * How many top-level flow runs are running, from a first read and the state changes that follow,
 * and what the status bar item says about it. Pure.
 */
import type { ServerState } from "../server/orchestration.js";
import type { FlowRunRecord } from "../server/tributary-api.js";

export class RunningRuns {
  private readonly ids = new Set<string>();

  get count(): number {
    return this.ids.size;
  }

  reset(runs: readonly FlowRunRecord[]): void {
    this.ids.clear();
    for (const run of runs) this.apply(run);
  }

  /** Takes a run as it is now; answers whether the count changed. */
  apply(run: Pick<FlowRunRecord, "id" | "state" | "parentFlowRunId">): boolean {
    const before = this.ids.size;
    if (run.parentFlowRunId === undefined && run.state.type === "RUNNING") this.ids.add(run.id);
    else this.ids.delete(run.id);
    return this.ids.size !== before;
  }
}

export function statusText(state: ServerState, running: number, url: string): { text: string; tooltip: string } {
  switch (state) {
    case "connected":
      return { text: `$(pulse) Tributary: ${running} running`, tooltip: `Connected to the orchestration server at ${url}: ${running} flow run${running === 1 ? "" : "s"} running. Click to show Flow Runs.` };
    case "connecting":
      return { text: "$(sync~spin) Tributary", tooltip: `Connecting to the orchestration server at ${url}…` };
    case "unreachable":
      return { text: "$(circle-slash) Tributary", tooltip: `The orchestration server at ${url} is not reachable. Click to show Flow Runs; see the Tributary log for why.` };
    case "restricted":
      return { text: "$(shield) Tributary", tooltip: "Restricted Mode: Tributary checks flow code but runs nothing and starts no server." };
    default:
      return { text: "$(pulse) Tributary", tooltip: `Not connected yet: the server (${url}) connects when Flow Runs is shown or a flow runs. Click to show Flow Runs.` };
  }
}
