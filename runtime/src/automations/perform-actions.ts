/**
 * Performing the actions of an automation whose trigger fired: templates filled from the firing,
 * the loop guard applied to `run-deployment`, each action through the AutomationActions port.
 * A failing action is logged and does not stop the ones after it.
 */
import type { CausalLink, TributaryEvent } from "../orchestrator/contract.js";
import type { JsonValue } from "../store/records.js";
import type { AutomationAction } from "./action-types.js";
import type { AutomationActions } from "./automation-actions.js";
import { callWebhook } from "./call-webhook.js";
import { describeChain, visits } from "./causal-chain.js";
import { eventFlowRun, eventFlowRunId } from "./event-match.js";
import { renderTemplate, type TemplateContext } from "./template.js";

export interface ActionFiring {
  automation: { id: string; name: string };
  event: TributaryEvent | undefined;
  /** What led here, ending with this automation. */
  chain: CausalLink[];
}

export interface PerformContext {
  actions: AutomationActions;
  maxChainRepeats: number;
}

export function templateContext(firing: ActionFiring): TemplateContext {
  return { event: firing.event ?? null, flowRun: eventFlowRun(firing.event) ?? null, automation: firing.automation };
}

export async function performActions(list: readonly AutomationAction[], firing: ActionFiring, context: PerformContext): Promise<void> {
  const templates = templateContext(firing);
  for (const [i, action] of list.entries()) {
    try {
      await perform(action, firing, templates, context);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      context.actions.log("error", `Automation "${firing.automation.name}" could not perform its action ${i + 1} (${action.type}): ${reason}`);
    }
  }
}

function text(value: string, templates: TemplateContext): string | undefined {
  const rendered = renderTemplate(value, templates);
  return rendered === null || rendered === "" ? undefined : String(rendered);
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`no ${what} was named and the triggering event is not about one`);
  return value;
}

async function perform(action: AutomationAction, firing: ActionFiring, templates: TemplateContext, context: PerformContext): Promise<void> {
  const { actions } = context;
  const event = firing.event;
  switch (action.type) {
    case "run-deployment": {
      const deployment = required(text(action.deployment, templates), "deployment");
      const parameters = renderTemplate(action.parameters ?? {}, templates) as Record<string, JsonValue>;
      if (visits(firing.chain, "deployment", deployment) >= context.maxChainRepeats) {
        await refuse(firing, deployment, context);
        return;
      }
      await actions.runDeployment(deployment, parameters, firing.chain);
      return;
    }
    case "pause-deployment":
    case "resume-deployment": {
      const named = action.deployment === undefined ? undefined : text(action.deployment, templates);
      const deployment = required(named ?? stringField(event?.resource.deploymentName), "deployment");
      await (action.type === "pause-deployment" ? actions.pauseDeployment(deployment) : actions.resumeDeployment(deployment));
      return;
    }
    case "cancel-flow-run": {
      const named = action.flowRunId === undefined ? undefined : text(action.flowRunId, templates);
      await actions.cancelFlowRun(required(named ?? eventFlowRunId(event), "flow run"));
      return;
    }
    case "pause-automation":
    case "resume-automation": {
      const automation = action.automation ?? firing.automation.name;
      await (action.type === "pause-automation" ? actions.pauseAutomation(automation) : actions.resumeAutomation(automation));
      return;
    }
    case "call-webhook":
      await callWebhook(action, templates);
      return;
  }
}

function stringField(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The loop guard: record why the deployment was not run, as an event and a log line. */
async function refuse(firing: ActionFiring, deployment: string, { actions, maxChainRepeats }: PerformContext): Promise<void> {
  const reason =
    `Automation "${firing.automation.name}" did not run deployment "${deployment}": the chain that led here ` +
    `(${describeChain(firing.chain)}) already ran it ${visits(firing.chain, "deployment", deployment)} times, ` +
    `and the limit is ${maxChainRepeats}. This looks like a loop of automations or deployment triggers.`;
  actions.log("warning", reason);
  await actions.emitEvent({
    event: "tributary.automation.refused",
    resource: { id: `tributary.automation.${firing.automation.id}`, name: firing.automation.name },
    related: [{ id: `tributary.deployment.${deployment}`, name: deployment, deploymentName: deployment }],
    payload: { reason, deployment, maxChainRepeats, ...(firing.event ? { triggeringEventId: firing.event.id } : {}) },
    chain: firing.chain,
  });
}
