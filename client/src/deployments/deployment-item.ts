/**
 * A deployment record (and its newest run) as the Deployments view shows it: label, description
 * (schedule in words · next run · paused), icon by the last run's state, a Markdown tooltip and
 * the contextValue the manifest's menus use. vscode-free, so that it is unit-tested.
 */
import type { DeploymentRecord } from "../../../runtime/src/orchestrator/contract.js";
import { compileSchedule, type ScheduleSpec } from "../../../runtime/src/schedules/schedule.js";
import type { FlowRunRecord } from "../../../runtime/src/store/records.js";
import { duration, scheduleInWords } from "../../../server/src/schedule-in-words.js";
import { triggerInWords } from "./automation-item.js";
import { stateIcon, type StateIcon } from "../flow-runs/run-item-fields.js";

/** A codicon id and, when it has one, the theme colour it is drawn in: the one Flow Runs uses. */
export type IconSpec = StateIcon;

export interface DeploymentItemFields {
  id: string;
  label: string;
  description: string;
  icon: IconSpec;
  contextValue: "deployment.active" | "deployment.paused";
  /** Markdown. */
  tooltip: string;
}

export function deploymentItem(deployment: DeploymentRecord, lastRun: FlowRunRecord | undefined, now: Date): DeploymentItemFields {
  return {
    id: `deployment:${deployment.name}`,
    label: deployment.name,
    description: describeDeployment(deployment, now),
    icon: deployment.paused ? { id: "debug-pause" } : runStateIcon(lastRun),
    contextValue: deployment.paused ? "deployment.paused" : "deployment.active",
    tooltip: deploymentTooltip(deployment, lastRun),
  };
}

/** `every 2 hours · next in 1 hour 59 minutes`, `no schedule`, `every 2 hours · paused`. */
export function describeDeployment(deployment: DeploymentRecord, now: Date): string {
  // The lens's cron words carry an absolute next time; the view says one relative time for all schedules.
  const parts = [scheduleInWords(deployment.schedules, now).replace(/ · next [^;]*/g, "")];
  if (deployment.paused) parts.push("paused");
  else {
    const next = nextRun(deployment.schedules, now, new Date(deployment.createdAt));
    if (next) parts.push(`next ${inTime(next, now)}`);
  }
  return parts.join(" · ");
}

/**
 * The earliest next time of any schedule; a schedule that does not compile is skipped. `anchor`
 * (the deployment's creation) starts an RRULE without DTSTART, as the server's scheduler does.
 */
export function nextRun(schedules: readonly ScheduleSpec[], now: Date, anchor?: Date): Date | undefined {
  let earliest: Date | undefined;
  for (const spec of schedules) {
    try {
      const next = compileSchedule(spec, anchor ? { anchor } : {}).nextAfter(now);
      if (next && (!earliest || next < earliest)) earliest = next;
    } catch {
      // Registered schedules were validated by the server; an odd one does not hide the others.
    }
  }
  return earliest;
}

function inTime(next: Date, now: Date): string {
  const seconds = Math.round((next.getTime() - now.getTime()) / 1000);
  if (seconds < 60) return "in less than a minute";
  const words = duration(Math.floor(seconds / 60) * 60);
  // duration() says a lone unit without its 1 ("hour"), as in "every hour".
  return `in ${/^\d/.test(words) ? words : `1 ${words}`}`;
}

/**
 * The run a deployment's icon shows, among its newest runs (created-desc): the newest that left
 * Scheduled. The scheduler creates runs ahead of time; those have not happened yet.
 */
export function lastRunOf(runs: readonly FlowRunRecord[]): FlowRunRecord | undefined {
  return runs.find((run) => run.state.type !== "SCHEDULED");
}

/** Whether a run the stream reports should replace `current` as the deployment's last run. */
export function replacesLastRun(current: FlowRunRecord | undefined, run: FlowRunRecord): boolean {
  if (run.state.type === "SCHEDULED") return false;
  if (current === undefined || current.id === run.id) return true;
  return (run.startTime ?? run.createdAt) >= (current.startTime ?? current.createdAt);
}

/** The icon of a deployment's last run, drawn as Flow Runs draws that run; no run yet is an empty circle. */
export function runStateIcon(lastRun: Pick<FlowRunRecord, "state"> | undefined): IconSpec {
  return lastRun === undefined ? { id: "circle-outline" } : stateIcon(lastRun.state);
}

function deploymentTooltip(d: DeploymentRecord, lastRun: FlowRunRecord | undefined): string {
  const lines = [`**${d.name}**${d.paused ? " (paused)" : ""}`, ""];
  if (d.description) lines.push(d.description, "");
  lines.push(`- Flow: \`${d.flowName}\``, `- Entrypoint: \`${d.entrypoint}\``);
  lines.push(`- Schedule: ${scheduleInWords(d.schedules)}`);
  if (Object.keys(d.parameters).length > 0) lines.push(`- Parameters: \`${JSON.stringify(d.parameters)}\``);
  if (d.tags.length > 0) lines.push(`- Tags: ${d.tags.map((t) => `\`${t}\``).join(", ")}`);
  if (d.concurrencyLimit !== undefined) lines.push(`- Concurrency limit: ${d.concurrencyLimit}`);
  if (d.triggers.length > 0) lines.push(`- Triggered by: ${d.triggers.map(triggerInWords).join("; ")}`);
  lines.push(lastRun ? `- Last run: \`${lastRun.name}\` ${lastRun.state.name} (created ${lastRun.createdAt})` : "- Never run");
  return lines.join("\n");
}
