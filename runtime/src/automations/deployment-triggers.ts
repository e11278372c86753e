/**
 * A deployment's `triggers` (deploy(flow, { triggers })) are automations in all but name: each
 * trigger runs the deployment. The server hands these to the engine beside the registered
 * automations: `engine.setAutomations([...automations, ...deploymentTriggerAutomations(deployments)])`.
 */
import type { AutomationRecord, DeploymentRecord } from "../orchestrator/contract.js";
import type { RunDeploymentAction } from "./action-types.js";

/** The automation name a deployment trigger acts under (in events, logs and the loop guard). */
export function deploymentTriggerName(deployment: string, index: number, count: number): string {
  return count === 1 ? `${deployment} (trigger)` : `${deployment} (trigger ${index + 1})`;
}

/** One automation record per trigger of each deployment: when it fires, run the deployment with its own parameters. */
export function deploymentTriggerAutomations(deployments: readonly DeploymentRecord[]): AutomationRecord[] {
  const records: AutomationRecord[] = [];
  for (const deployment of deployments) {
    deployment.triggers.forEach((trigger, index) => {
      const action: RunDeploymentAction = { type: "run-deployment", deployment: deployment.name };
      records.push({
        id: `deployment-trigger.${deployment.id}.${index}`,
        name: deploymentTriggerName(deployment.name, index, deployment.triggers.length),
        trigger,
        actions: [action as unknown as AutomationRecord["actions"][number]],
        // A paused deployment's schedules stop; its triggers stop with them.
        enabled: !deployment.paused,
        createdAt: deployment.createdAt,
        updatedAt: deployment.updatedAt,
      });
    });
  }
  return records;
}
