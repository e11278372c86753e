/**
 * An automation in words for the dashboard (no DOM): what its trigger watches and what its actions
 * do, from the stored JSON (automations/trigger-types.ts, action-types.ts), and the deployments
 * its actions run — the runs it started are theirs whose causal chain names it.
 */
import type { AutomationAction } from "../automations/action-types.js";
import type { Trigger } from "../automations/trigger-types.js";
import type { JsonValue } from "../store/records.js";

const list = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.map((v) => `"${v}"`).join(" or ") : `"${value}"`);

/** `when a run of flow "etl" is Completed or Failed`, `on 5 events "acme.order.*" within 60 s`. */
export function describeTrigger(value: JsonValue): string {
  const trigger = value as unknown as Trigger | null;
  if (trigger === null || typeof trigger !== "object") return "an unreadable trigger";
  switch (trigger.type) {
    case "flow-run-state-change": {
      const match = trigger.match ?? {};
      const which = [
        match.flow !== undefined ? `flow ${list(match.flow)}` : "",
        match.deployment !== undefined ? `deployment ${list(match.deployment)}` : "",
        match.tags !== undefined && match.tags.length > 0 ? `tagged ${match.tags.join(", ")}` : "",
      ].filter(Boolean);
      return `when a run${which.length > 0 ? ` of ${which.join(", ")}` : ""} is ${trigger.expect.join(" or ")}`;
    }
    case "event": {
      const match = trigger.match ?? {};
      const names = trigger.expect ?? (match.event !== undefined ? (Array.isArray(match.event) ? match.event : [match.event]) : []);
      const resource = Object.entries(match)
        .filter(([key, v]) => key !== "event" && v !== undefined)
        .map(([key, v]) => `${key} ${list(v)}`);
      const threshold = trigger.threshold ?? 1;
      const events = `${threshold === 1 ? "an event" : `${threshold} events`}${names.length > 0 ? ` ${names.map((n) => `"${n}"`).join(" or ")}` : ""}${resource.length > 0 ? ` of ${resource.join(", ")}` : ""}`;
      const after = trigger.after !== undefined && trigger.after.length > 0 ? ` after ${trigger.after.map((n) => `"${n}"`).join(" or ")}` : "";
      const within = trigger.within !== undefined ? ` within ${trigger.within} s` : "";
      return trigger.posture === "Proactive" ? `when fewer than ${events.replace(/^an event/, "1 event")}${after} come${within}` : `on ${events}${after}${within}`;
    }
    case "compound":
    case "sequence": {
      const parts = (trigger.triggers ?? []).map((t) => describeTrigger(t as unknown as JsonValue));
      const how = trigger.type === "sequence" ? "in this order" : trigger.require === "all" ? "all of" : trigger.require === "any" ? "any of" : `${trigger.require} of`;
      return `${how}: ${parts.map((p) => `(${p})`).join(", ")}${trigger.within !== undefined ? ` within ${trigger.within} s` : ""}`;
    }
    default:
      return `a trigger of type "${String((trigger as { type?: unknown }).type)}"`;
  }
}

/** `run deployment "etl/nightly"`, `call POST https://…`. */
export function describeAction(value: JsonValue): string {
  const action = value as unknown as AutomationAction | null;
  if (action === null || typeof action !== "object") return "an unreadable action";
  const own = (what: string | undefined, kind: string) => (what === undefined ? `the ${kind} that fired it` : `${kind} "${what}"`);
  switch (action.type) {
    case "run-deployment":
      return `run deployment "${action.deployment}"${action.parameters !== undefined ? ` with ${JSON.stringify(action.parameters)}` : ""}`;
    case "pause-deployment":
      return `pause ${own(action.deployment, "deployment")}`;
    case "resume-deployment":
      return `resume ${own(action.deployment, "deployment")}`;
    case "cancel-flow-run":
      return action.flowRunId === undefined ? "cancel the flow run that fired it" : `cancel flow run ${action.flowRunId}`;
    case "pause-automation":
      return `pause ${own(action.automation, "automation")}`;
    case "resume-automation":
      return `resume ${own(action.automation, "automation")}`;
    case "call-webhook":
      return `call ${action.method ?? "POST"} ${action.url}`;
    default:
      return `an action of type "${String((action as { type?: unknown }).type)}"`;
  }
}

/** The deployments an automation's actions run (its run-deployment actions), once each. */
export function deploymentsRun(actions: readonly JsonValue[]): string[] {
  const names = actions.map((a) => a as unknown as AutomationAction).filter((a): a is Extract<AutomationAction, { type: "run-deployment" }> => a?.type === "run-deployment" && typeof a.deployment === "string").map((a) => a.deployment);
  return [...new Set(names)];
}
