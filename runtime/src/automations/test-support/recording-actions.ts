/**
 * A recording implementation of the AutomationActions port (the server implements the real one):
 * every call is kept in order, and tests wait for a call with `next`.
 */
import type { CausalLink } from "../../orchestrator/contract.js";
import type { JsonValue, LogLevel } from "../../store/records.js";
import type { AutomationActions, NewEvent } from "../automation-actions.js";

export type RecordedCall =
  | { method: "runDeployment"; deployment: string; parameters: Record<string, JsonValue>; chain: CausalLink[] }
  | { method: "pauseDeployment" | "resumeDeployment"; deployment: string }
  | { method: "cancelFlowRun"; flowRunId: string }
  | { method: "pauseAutomation" | "resumeAutomation"; automation: string }
  | { method: "emitEvent"; event: NewEvent };

export class RecordingActions implements AutomationActions {
  readonly calls: RecordedCall[] = [];
  readonly logs: { level: LogLevel; message: string }[] = [];
  private waiters: { method: string; resolve: (call: RecordedCall) => void }[] = [];

  /** Calls other than the `triggered` events every firing emits. */
  get effects(): RecordedCall[] {
    return this.calls.filter((call) => !(call.method === "emitEvent" && call.event.event === "tributary.automation.triggered"));
  }

  /** Resolves with the next call of `method` (made after this call). */
  next(method: RecordedCall["method"]): Promise<RecordedCall> {
    return new Promise((resolve) => this.waiters.push({ method, resolve }));
  }

  private record(call: RecordedCall): Promise<void> {
    this.calls.push(call);
    const waiting = this.waiters.filter((w) => w.method === call.method);
    this.waiters = this.waiters.filter((w) => w.method !== call.method);
    for (const waiter of waiting) waiter.resolve(call);
    return Promise.resolve();
  }

  runDeployment(deployment: string, parameters: Record<string, JsonValue>, chain: CausalLink[]) {
    return this.record({ method: "runDeployment", deployment, parameters, chain });
  }
  pauseDeployment(deployment: string) {
    return this.record({ method: "pauseDeployment", deployment });
  }
  resumeDeployment(deployment: string) {
    return this.record({ method: "resumeDeployment", deployment });
  }
  cancelFlowRun(flowRunId: string) {
    return this.record({ method: "cancelFlowRun", flowRunId });
  }
  pauseAutomation(automation: string) {
    return this.record({ method: "pauseAutomation", automation });
  }
  resumeAutomation(automation: string) {
    return this.record({ method: "resumeAutomation", automation });
  }
  emitEvent(event: NewEvent) {
    return this.record({ method: "emitEvent", event });
  }
  log(level: LogLevel, message: string) {
    this.logs.push({ level, message });
  }
}
