/**
 * The port through which the automation engine acts on the world. The orchestration server
 * implements it over its store, scheduler and event stream; the engine itself does no I/O except
 * `call-webhook` (plain fetch).
 */
import type { CausalLink, TributaryEvent } from "../orchestrator/contract.js";
import type { JsonValue, LogLevel } from "../store/records.js";

/** An event to publish; the server fills in `id` and `occurred` when absent. */
export type NewEvent = Omit<TributaryEvent, "id" | "occurred"> & Partial<Pick<TributaryEvent, "id" | "occurred">>;

export interface AutomationActions {
  /**
   * Creates a run of the deployment named `"<flow-name>/<deployment name>"` with these parameters.
   * `chain` is what led to it (ending with the automation); the server appends the deployment and
   * the new run, and puts the result on the run so its events carry it.
   */
  runDeployment(deployment: string, parameters: Record<string, JsonValue>, chain: CausalLink[]): Promise<unknown>;
  pauseDeployment(deployment: string): Promise<unknown>;
  resumeDeployment(deployment: string): Promise<unknown>;
  cancelFlowRun(flowRunId: string): Promise<unknown>;
  /** Pauses the automation named so; the server then calls `setAutomations` with it disabled. */
  pauseAutomation(automation: string): Promise<unknown>;
  resumeAutomation(automation: string): Promise<unknown>;
  /** Publishes `tributary.automation.triggered` / `tributary.automation.refused`. */
  emitEvent(event: NewEvent): Promise<unknown>;
  /** A line for the server's log (the loop guard's refusals, failed actions). */
  log(level: LogLevel, message: string): void;
}
