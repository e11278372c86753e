/**
 * What the Flow Runs view shows for a flow run or a task run: label, description, icon, colour,
 * contextValue and Markdown tooltip, from the record alone. Pure (no `vscode`) and with an
 * injectable "now", so that it is tested without VS Code; flow-runs-tree.ts turns the fields into
 * TreeItems.
 */
import type { FlowRunRecord, TaskRunRecord } from "../server/tributary-api.js";
import { resultText, shortResult, truncate } from "./run-outcome.js";

/** A codicon id and the theme colour id to draw it in (undefined: the default foreground). */
export interface StateIcon {
  id: string;
  color?: string;
}

export interface RunItemFields {
  label: string;
  description: string;
  icon: StateIcon;
  /** `flowRun.<state type lowercase>` / `taskRun.<state type lowercase>`: the manifest's menus match on it. */
  contextValue: string;
  /** Markdown. */
  tooltip: string;
}

interface StateLike {
  type: string;
  name: string;
  message?: string;
}

/** States in which the run is (or is about to be) executing: the icon spins. */
const ACTIVE = new Set(["RUNNING", "PENDING", "CANCELLING"]);

export function isActiveState(state: Pick<StateLike, "type">): boolean {
  return ACTIVE.has(state.type);
}

export function stateIcon(state: StateLike): StateIcon {
  switch (state.type) {
    case "RUNNING":
    case "PENDING":
    case "CANCELLING":
      return { id: "loading~spin", color: "charts.blue" };
    case "COMPLETED":
      return { id: "pass", color: "testing.iconPassed" };
    case "FAILED":
      return { id: "error", color: "testing.iconFailed" };
    case "CANCELLED":
      return { id: "circle-slash", color: "testing.iconSkipped" };
    case "CRASHED":
      return { id: "warning", color: "problemsWarningIcon.foreground" };
    case "SCHEDULED":
      return state.name === "Late" ? { id: "clock", color: "problemsWarningIcon.foreground" } : { id: "clock" };
    case "PAUSED":
      return { id: "debug-pause", color: "debugIcon.pauseForeground" };
    default:
      return { id: "question" };
  }
}

/** `failureFrame`: for a failed run, the first frame of the user's code in its stack (run-outcome.ts firstUserFrame), once read from its log. */
export function flowRunFields(run: FlowRunRecord, now: Date, failureFrame?: string): RunItemFields {
  const parts: string[] = [run.state.name];
  const duration = runDuration(run.startTime, run.endTime, now);
  if (duration !== "") parts.push(duration);
  if (run.runCount > 1) parts.push(`attempt ${run.runCount}`);
  parts.push(formatRelative(shownTime(run), now));
  const outcome = outcomeLine(run);
  if (outcome !== undefined) parts.push(outcome);
  return {
    label: `${run.flowName} · ${run.name}`,
    description: parts.join(" · "),
    icon: stateIcon(run.state),
    contextValue: `flowRun.${run.state.type.toLowerCase()}`,
    tooltip: flowRunTooltip(run, now, failureFrame),
  };
}

/** The time a flow run's description shows relative to now: when it started, is meant to start, or was created. */
export function shownTime(run: Pick<FlowRunRecord, "startTime" | "expectedStartTime" | "createdAt">): string {
  return run.startTime ?? run.expectedStartTime ?? run.createdAt;
}

export function taskRunFields(task: TaskRunRecord, now: Date): RunItemFields {
  const parts: string[] = [task.state.name];
  const duration = runDuration(task.startTime, task.endTime, now);
  if (duration !== "") parts.push(duration);
  if (task.attempts > 1) parts.push(`attempt ${task.attempts}`);
  return {
    label: task.name,
    description: parts.join(" · "),
    icon: stateIcon(task.state),
    contextValue: `taskRun.${task.state.type.toLowerCase()}`,
    tooltip: taskRunTooltip(task, now),
  };
}

function flowRunTooltip(run: FlowRunRecord, now: Date, failureFrame: string | undefined): string {
  const lines = [`**${escapeMarkdown(run.flowName)}** · ${escapeMarkdown(run.name)}`, "", stateLine(run.state), ""];
  const rows: [string, string][] = [];
  if (run.expectedStartTime !== undefined && run.startTime === undefined) rows.push(["Scheduled for", timeCell(run.expectedStartTime, now)]);
  if (run.startTime !== undefined) rows.push(["Started", timeCell(run.startTime, now)]);
  if (run.endTime !== undefined) rows.push(["Ended", timeCell(run.endTime, now)]);
  const duration = runDuration(run.startTime, run.endTime, now);
  if (duration !== "") rows.push([run.endTime === undefined ? "Running for" : "Duration", duration]);
  if (run.runCount > 1) rows.push(["Attempts", String(run.runCount)]);
  if (run.tags.length > 0) rows.push(["Tags", run.tags.map(code).join(", ")]);
  const deployment = run.chain?.findLast((link) => link.kind === "deployment");
  if (deployment !== undefined) rows.push(["Deployment", code(deployment.name)]);
  rows.push(["Triggered by", triggeredBy(run)]);
  if (run.entrypoint !== undefined) rows.push(["Entrypoint", code(run.entrypoint)]);
  rows.push(["Run ID", code(run.id)]);
  for (const [name, value] of rows) lines.push(`${name}: ${value}  `);
  const parameters = Object.keys(run.parameters);
  if (parameters.length > 0) lines.push("", "Parameters:", "", "```json", JSON.stringify(run.parameters, null, 2), "```");
  const result = resultText(run);
  if (result !== undefined) {
    const shown = result.json.length > TOOLTIP_RESULT_CHARS ? `${result.json.slice(0, TOOLTIP_RESULT_CHARS)}…` : result.truncated ? `${result.json}…` : result.json;
    lines.push("", "Result:", "", ...fenced("json", shown));
    if (shown !== result.json) lines.push("", "*Cut short: Open Result shows the whole value.*");
  }
  if (isFailure(run.state) && run.state.message) {
    lines.push("", "Error:", "", ...fenced("text", [run.state.message.split("\n", 1)[0]!, ...(failureFrame !== undefined ? [`    ${failureFrame}`] : [])].join("\n")));
  }
  return lines.join("\n");
}

/** A Markdown code block whose fence is longer than any run of backticks in `text`, so that a value cannot close it. */
function fenced(language: string, text: string): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, text, fence];
}

/** The part of a result a tooltip shows; Open Result shows the rest. */
const TOOLTIP_RESULT_CHARS = 600;
/** The part of a result or error a row's description shows. */
const DESCRIPTION_OUTCOME_CHARS = 48;

function isFailure(state: Pick<StateLike, "type">): boolean {
  return state.type === "FAILED" || state.type === "CRASHED";
}

/** The end of a row's description: `→ "b-42:14"` for a result, the first line of a failed run's error. */
function outcomeLine(run: FlowRunRecord): string | undefined {
  const result = shortResult(run, DESCRIPTION_OUTCOME_CHARS);
  if (result !== undefined) return `→ ${result}`;
  if (isFailure(run.state) && run.state.message) return truncate(run.state.message.split("\n", 1)[0]!, DESCRIPTION_OUTCOME_CHARS);
  return undefined;
}

function taskRunTooltip(task: TaskRunRecord, now: Date): string {
  const lines = [`**${escapeMarkdown(task.name)}** (task ${escapeMarkdown(task.taskName)})`, "", stateLine(task.state), ""];
  const rows: [string, string][] = [];
  if (task.startTime !== undefined) rows.push(["Started", timeCell(task.startTime, now)]);
  if (task.endTime !== undefined) rows.push(["Ended", timeCell(task.endTime, now)]);
  const duration = runDuration(task.startTime, task.endTime, now);
  if (duration !== "") rows.push([task.endTime === undefined ? "Running for" : "Duration", duration]);
  rows.push(["Attempts", String(task.attempts)]);
  if (task.mapIndex !== undefined) rows.push(["Map index", String(task.mapIndex)]);
  if (task.tags.length > 0) rows.push(["Tags", task.tags.map(code).join(", ")]);
  if (task.cacheKey !== undefined) rows.push(["Cache key", code(task.cacheKey)]);
  rows.push(["Task run ID", code(task.id)]);
  for (const [name, value] of rows) lines.push(`${name}: ${value}  `);
  return lines.join("\n");
}

/**
 * Who started the run, from its causal chain (which ends with the run itself): `flow-run
 * upstream-flow → automation notify → deployment etl/nightly`. Names are quoted as Markdown code
 * for the tooltip; the log document's header (plain text) passes `(name) => name`.
 */
export function triggeredBy(run: Pick<FlowRunRecord, "id" | "chain" | "deploymentId" | "parentFlowRunId">, quote: (name: string) => string = code): string {
  const chain = [...(run.chain ?? [])];
  if (chain.at(-1)?.kind === "flow-run" && chain.at(-1)!.id === run.id) chain.pop();
  if (chain.length > 0) return chain.map((link) => `${link.kind} ${quote(link.name)}`).join(" → ");
  if (run.parentFlowRunId !== undefined) return "its parent flow run (a subflow)";
  return run.deploymentId !== undefined ? "its deployment" : `${quote("tributary run")} (▶ Run flow)`;
}

function stateLine(state: StateLike): string {
  return `State: **${escapeMarkdown(state.name)}**${state.message ? ` — ${escapeMarkdown(state.message.split("\n", 1)[0]!)}` : ""}`;
}

function timeCell(iso: string, now: Date): string {
  return `${formatLocalTime(iso)} (${formatRelative(iso, now)})`;
}

/** How long a run took, or has been running for; empty when it has not started. */
export function runDuration(startTime: string | undefined, endTime: string | undefined, now: Date): string {
  if (startTime === undefined) return "";
  const end = endTime !== undefined ? Date.parse(endTime) : now.getTime();
  return formatElapsed(end - Date.parse(startTime));
}

/** `850 ms`, `4.2 s`, `2 min 05 s`, `1 h 02 min` */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  const clamped = Math.max(0, ms);
  if (clamped < 1000) return `${Math.round(clamped)} ms`;
  if (clamped < 60_000) return `${(Math.floor(clamped / 100) / 10).toFixed(1)} s`;
  const seconds = Math.floor(clamped / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")} min`;
}

/** `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 days ago`; `in 5 min` for a time to come. */
export function formatRelative(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return "at an unknown time";
  const ahead = ms < 0;
  const seconds = Math.floor(Math.abs(ms) / 1000);
  let span: string;
  if (seconds < 5) return ahead ? "in a moment" : "just now";
  else if (seconds < 60) span = `${seconds} s`;
  else if (seconds < 3600) span = `${Math.floor(seconds / 60)} min`;
  else if (seconds < 86_400) span = `${Math.floor(seconds / 3600)} h`;
  else {
    const days = Math.floor(seconds / 86_400);
    span = `${days} day${days === 1 ? "" : "s"}`;
  }
  return ahead ? `in ${span}` : `${span} ago`;
}

/** `2026-11-25 14:03:07`, local time. */
export function formatLocalTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
