/**
 * The flow runs this extension started with `tributary run` (▶ Run flow, Run again). The CLI's
 * `--json` output names the run only when it ends, so a launch is matched to the first new top-level
 * run of its flow that the event stream reports after the launch began. A matched run can then be
 * revealed in Flow Runs, and cancelled through its process (SIGINT: the CLI ends it Cancelled), which
 * the server cannot do for a run it does not execute.
 */
import type { FlowRunRecord } from "../server/tributary-api.js";

export interface Launch {
  flowName: string;
  /** Epoch ms when the command started. */
  since: number;
  /** Interrupts the command (it then marks the run Cancelled). */
  cancel: () => void;
  runId?: string;
}

/** Allowance for the clock of the run's record against the extension's (same machine: small). */
const CLOCK_SLACK_MS = 2000;

export class LaunchedRuns {
  private readonly launches = new Set<Launch>();

  begin(flowName: string, cancel: () => void, now = Date.now()): Launch {
    const launch: Launch = { flowName, since: now, cancel };
    this.launches.add(launch);
    return launch;
  }

  end(launch: Launch): void {
    this.launches.delete(launch);
  }

  /** The launch that started `run`, matching it on first sight; undefined when none did. */
  claim(run: FlowRunRecord): Launch | undefined {
    for (const launch of this.launches) if (launch.runId === run.id) return undefined; // claimed before
    if (run.parentFlowRunId !== undefined || run.deploymentId !== undefined) return undefined;
    const created = Date.parse(run.createdAt);
    for (const launch of this.launches) {
      if (launch.runId !== undefined || launch.flowName !== run.flowName) continue;
      if (created + CLOCK_SLACK_MS < launch.since) continue;
      launch.runId = run.id;
      return launch;
    }
    return undefined;
  }

  /** Cancels the run through the command that runs it; false when this extension did not start it. */
  cancel(runId: string): boolean {
    for (const launch of this.launches) {
      if (launch.runId !== runId) continue;
      launch.cancel();
      return true;
    }
    return false;
  }
}
