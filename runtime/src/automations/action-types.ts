/**
 * The action objects of `automation(...)`: what an automation does when its trigger fires. Plain
 * JSON, like triggers. String values may hold templates (`"{{ flowRun.result.batchId }}"`) filled
 * from what fired the trigger; see template.ts.
 */
import type { JsonValue } from "../store/records.js";

/**
 * Starts a run of a deployment.
 * @example { type: "run-deployment", deployment: "downstream-flow/downstream-processing",
 *            parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" } }
 */
export interface RunDeploymentAction {
  type: "run-deployment";
  /** `"<flow-name>/<deployment name>"`. */
  deployment: string;
  /**
   * Parameters of the run; templates are filled from the triggering event and flow run.
   * @default {} (the deployment's own defaults)
   * @example { batchId: "{{ flowRun.result.batchId }}", note: "after {{ flowRun.name }}" }
   */
  parameters?: Record<string, JsonValue>;
}

/**
 * Pauses a deployment's schedules.
 * @example { type: "pause-deployment", deployment: "etl/nightly" }
 */
export interface PauseDeploymentAction {
  type: "pause-deployment";
  /**
   * The deployment; may be a template.
   * @default the deployment of the triggering flow run
   * @example "etl/nightly"
   */
  deployment?: string;
}

/**
 * Resumes a deployment's schedules.
 * @example { type: "resume-deployment", deployment: "etl/nightly" }
 */
export interface ResumeDeploymentAction {
  type: "resume-deployment";
  /**
   * The deployment; may be a template.
   * @default the deployment of the triggering flow run
   * @example "etl/nightly"
   */
  deployment?: string;
}

/**
 * Cancels a flow run.
 * @example { type: "cancel-flow-run" }
 */
export interface CancelFlowRunAction {
  type: "cancel-flow-run";
  /**
   * The run's id; may be a template.
   * @default the triggering flow run
   * @example "{{ event.payload.runId }}"
   */
  flowRunId?: string;
}

/**
 * Pauses an automation (it stops acting until resumed).
 * @example { type: "pause-automation", automation: "page-on-failure" }
 */
export interface PauseAutomationAction {
  type: "pause-automation";
  /**
   * The automation's name.
   * @default this automation
   * @example "page-on-failure"
   */
  automation?: string;
}

/**
 * Resumes a paused automation.
 * @example { type: "resume-automation", automation: "page-on-failure" }
 */
export interface ResumeAutomationAction {
  type: "resume-automation";
  /**
   * The automation's name.
   * @default this automation
   * @example "page-on-failure"
   */
  automation?: string;
}

/**
 * Sends an HTTP request.
 * @example { type: "call-webhook", url: "https://hooks.example.com/etl",
 *            body: { text: "{{ flowRun.name }} ended {{ flowRun.state.name }}" } }
 */
export interface CallWebhookAction {
  type: "call-webhook";
  /** The URL; may hold templates. */
  url: string;
  /**
   * The HTTP method.
   * @default "POST"
   * @example "PUT"
   */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /**
   * Request headers; values may hold templates.
   * @default { "content-type": "application/json" } when there is a body
   * @example { authorization: "Bearer abc" }
   */
  headers?: Record<string, string>;
  /**
   * The JSON body, templated; a string body is sent as it is.
   * @default undefined (no body)
   * @example { run: "{{ flowRun.id }}", result: "{{ flowRun.result }}" }
   */
  body?: JsonValue;
}

export type AutomationAction =
  | RunDeploymentAction
  | PauseDeploymentAction
  | ResumeDeploymentAction
  | CancelFlowRunAction
  | PauseAutomationAction
  | ResumeAutomationAction
  | CallWebhookAction;

export const ACTION_TYPES = [
  "run-deployment",
  "pause-deployment",
  "resume-deployment",
  "cancel-flow-run",
  "pause-automation",
  "resume-automation",
  "call-webhook",
] as const;
