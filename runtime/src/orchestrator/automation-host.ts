/**
 * The server's side of the automation engine (automations/, evaluated elsewhere): the actions
 * port it acts through, implemented over the server's services, and the shape of the engine the
 * server feeds — every event, and the automations after each change.
 */
import type { AutomationActions } from "../automations/automation-actions.js";
import type { LogLevel } from "../store/records.js";
import type { AutomationService } from "./automation-service.js";
import type { AutomationRecord, TributaryEvent } from "./contract.js";
import type { DeploymentService } from "./deployment-service.js";
import type { EventHub } from "./event-hub.js";
import type { FlowRunControl } from "./flow-run-control.js";

/** What an automation can do: the port the automation engine declares, implemented here. */
export type AutomationActionsPort = AutomationActions;

/** The automation engine as the server drives it (automations/automation-engine.ts). */
export interface HostedAutomationEngine {
  setAutomations(records: readonly AutomationRecord[]): void;
  handleEvent(event: TributaryEvent): Promise<void>;
  idle(): Promise<void>;
  close(): void;
}

export interface AutomationHostServices {
  hub: EventHub;
  deployments: DeploymentService;
  automations: AutomationService;
  flowRuns: FlowRunControl;
  log: (level: LogLevel, message: string) => void;
}

export function automationActions(s: AutomationHostServices): AutomationActionsPort {
  return {
    runDeployment: (deployment, parameters, chain) => s.deployments.createRun(deployment, { parameters, chain }),
    pauseDeployment: (deployment) => s.deployments.setPaused(deployment, true),
    resumeDeployment: (deployment) => s.deployments.setPaused(deployment, false),
    cancelFlowRun: (flowRunId) => s.flowRuns.cancel(flowRunId, "Cancelled by an automation."),
    pauseAutomation: (automation) => s.automations.setEnabled(automation, false),
    resumeAutomation: (automation) => s.automations.setEnabled(automation, true),
    emitEvent: async (event) => s.hub.publish(event),
    log: s.log,
  };
}
