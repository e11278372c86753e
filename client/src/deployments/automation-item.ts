/**
 * An automation record as the Automations view shows it, and what it links in words:
 * `upstream-flow Completed → run downstream-flow/downstream-processing`, read from its trigger and
 * actions JSON (runtime/src/automations/trigger-types.ts, action-types.ts). vscode-free.
 */
import type { AutomationRecord } from "../../../runtime/src/orchestrator/contract.js";
import type { JsonValue } from "../../../runtime/src/store/records.js";
import type { IconSpec } from "./deployment-item.js";

export interface AutomationItemFields {
  id: string;
  label: string;
  description: string;
  icon: IconSpec;
  contextValue: "automation.enabled" | "automation.disabled";
  /** Markdown. */
  tooltip: string;
}

/** `lastTriggered`: when the stream last said it fired (ISO 8601), shown as a local time. */
export function automationItem(automation: AutomationRecord, lastTriggered?: string): AutomationItemFields {
  const parts = [automation.enabled ? "enabled" : "paused", automationInWords(automation)];
  if (lastTriggered) parts.push(`triggered ${clockTime(new Date(lastTriggered))}`);
  return {
    id: `automation:${automation.name}`,
    label: automation.name,
    description: parts.join(" · "),
    icon: automation.enabled ? { id: "zap" } : { id: "debug-pause" },
    contextValue: automation.enabled ? "automation.enabled" : "automation.disabled",
    tooltip: [
      `**${automation.name}** (${automation.enabled ? "enabled" : "paused"})`,
      "",
      automationInWords(automation),
      "",
      "Trigger:",
      "```json",
      JSON.stringify(automation.trigger, null, 2),
      "```",
      "Actions:",
      "```json",
      JSON.stringify(automation.actions, null, 2),
      "```",
    ].join("\n"),
  };
}

/** `HH:MM:SS` in local time. */
export function clockTime(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

export function automationInWords(automation: Pick<AutomationRecord, "trigger" | "actions">): string {
  const actions = automation.actions.map(actionInWords);
  return `${triggerInWords(automation.trigger)} → ${actions.length > 0 ? actions.join(", ") : "nothing"}`;
}

type Json = Record<string, JsonValue | undefined>;

const asObject = (value: JsonValue | undefined): Json => (typeof value === "object" && value !== null && !Array.isArray(value) ? value : {});
const names = (match: JsonValue | undefined): string | undefined =>
  typeof match === "string" ? match : Array.isArray(match) ? match.map(String).join(" or ") : undefined;

/** `upstream-flow Completed`, `event order.placed ×3 within 60 s`, `any of (…; …)`, `a then b`. */
export function triggerInWords(trigger: JsonValue): string {
  const t = asObject(trigger);
  const within = typeof t.within === "number" ? ` within ${t.within} s` : "";
  const triggers = Array.isArray(t.triggers) ? t.triggers.map(triggerInWords) : [];
  switch (t.type) {
    case "flow-run-state-change": {
      const match = asObject(t.match);
      const flow = names(match.flow);
      const deployment = names(match.deployment);
      const subject = deployment ? `deployment ${deployment}` : flow ?? "any flow";
      const tags = Array.isArray(match.tags) && match.tags.length > 0 ? ` tagged ${match.tags.join(", ")}` : "";
      const states = Array.isArray(t.expect) ? t.expect.map(String).join(" or ") : "any state";
      return `${subject}${tags} ${states}`;
    }
    case "event": {
      const match = asObject(t.match);
      const event = names(match.event) ?? (Array.isArray(t.expect) ? t.expect.map(String).join(" or ") : "any event");
      const threshold = typeof t.threshold === "number" && t.threshold > 1 ? ` ×${t.threshold}` : "";
      const proactive = t.posture === "Proactive" ? "no " : "";
      return `${proactive}event ${event}${threshold}${within}`;
    }
    case "compound": {
      const require = t.require === "all" ? "all" : t.require === "any" || t.require === undefined ? "any" : String(t.require);
      return `${require} of (${triggers.join("; ")})${within}`;
    }
    case "sequence":
      return `${triggers.join(" then ")}${within}`;
    default:
      return `a ${typeof t.type === "string" ? t.type : "custom"} trigger`;
  }
}

export function actionInWords(action: JsonValue): string {
  const a = asObject(action);
  const target = (key: string, fallback: string) => (typeof a[key] === "string" ? (a[key] as string) : fallback);
  switch (a.type) {
    case "run-deployment":
      return `run ${target("deployment", "a deployment")}`;
    case "pause-deployment":
      return `pause ${target("deployment", "the run's deployment")}`;
    case "resume-deployment":
      return `resume ${target("deployment", "the run's deployment")}`;
    case "cancel-flow-run":
      return "cancel the run";
    case "pause-automation":
      return `pause automation ${target("automation", "itself")}`;
    case "resume-automation":
      return `resume automation ${target("automation", "itself")}`;
    case "call-webhook":
      return `call ${target("method", "POST")} ${host(target("url", "a webhook"))}`;
    default:
      return `do ${typeof a.type === "string" ? a.type : "something"}`;
  }
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
