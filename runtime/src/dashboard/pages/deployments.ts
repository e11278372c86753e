/// <reference lib="dom" />
/**
 * Deployments: each with its flow, its schedules in words and next run (schedules/schedule.ts,
 * as the CLI says them), paused or not, and its last run; Pause and Resume. Live: a deployment
 * paused, resumed or registered reloads the list, a run of one updates its last run.
 */
import type { DeploymentRecord, FlowRunEventPayload, ListedFlowRun } from "../../orchestrator/contract.js";
import { describeSchedules, nextScheduledTimes } from "../../schedules/schedule.js";
import type { FlowRunRecord } from "../../store/records.js";
import { h, relativeTime, timeElement } from "../dom.js";
import { deploymentsOutline } from "../page-outlines.js";
import type { Page } from "../page.js";
import { deploymentApi, deploymentHref, pausedBadge, pauseToggle, runSummary } from "./parts.js";

/** When a deployment's schedules next make a run, in words (or why never). */
export function nextRunCell(deployment: DeploymentRecord, now = new Date()): HTMLElement | string {
  if (deployment.schedules.length === 0) return h("span", { class: "muted" }, "not scheduled");
  if (deployment.paused) return h("span", { class: "muted" }, "none while paused");
  let next: Date | undefined;
  try {
    next = nextScheduledTimes(deployment.schedules, 1, now, new Date(deployment.createdAt))[0];
  } catch (error) {
    return (error as Error).message;
  }
  if (next === undefined) return h("span", { class: "muted" }, "no more runs");
  return h("span", {}, relativeTime(next.toISOString(), now.getTime()), " ", h("span", { class: "muted" }, "(", timeElement(next.toISOString()), ")"));
}

/** A deployment's schedules in words; a schedule the browser cannot read says why. */
export function schedulesInWords(deployment: DeploymentRecord): string {
  try {
    return describeSchedules(deployment.schedules);
  } catch (error) {
    return (error as Error).message;
  }
}

export const deploymentsPage: Page = {
  ...deploymentsOutline,
  render(view, _params, context) {
    const { api, events } = context;
    const status = h("p", { class: "muted" }, "Loading…");
    const body = h("tbody");
    const headings = ["Deployment", "Flow", "Schedule", "Next run", "Status", "Last run", "Actions"];
    const table = h("table", { id: "deployments", "aria-label": "Deployments" }, h("thead", {}, h("tr", {}, ...headings.map((text) => h("th", { scope: "col" }, text)))), body);
    view.append(h("h1", {}, "Deployments"), status, table);
    const lastRuns = new Map<string, FlowRunRecord | undefined>();
    const lastRunCells = new Map<string, HTMLTableCellElement>();

    const rowOf = (deployment: DeploymentRecord): HTMLTableRowElement => {
      const lastRunCell = h("td", { class: "last-run" }, runSummary(lastRuns.get(deployment.id)));
      lastRunCells.set(deployment.id, lastRunCell);
      const row = h(
        "tr",
        { "data-deployment": deployment.name, "data-paused": String(deployment.paused) },
        h("th", { scope: "row" }, h("a", { href: deploymentHref(deployment.name) }, deployment.name)),
        h("td", {}, deployment.flowName),
        h("td", { class: "schedule" }, schedulesInWords(deployment)),
        h("td", { class: "next-run" }, nextRunCell(deployment)),
        h("td", { class: "paused-state" }, pausedBadge(deployment.paused)),
        lastRunCell,
        h("td", {}, pauseToggle(deployment.name, deployment.paused, deploymentApi(deployment.name), context, (record) => row.replaceWith(rowOf(record as DeploymentRecord)))),
      );
      return row;
    };

    let generation = 0;
    const load = async () => {
      const mine = ++generation;
      try {
        const deployments = await api.get<DeploymentRecord[]>("/api/deployments");
        const runs = await Promise.all(deployments.map((d) => api.get<ListedFlowRun[]>(`/api/flow-runs?deploymentName=${encodeURIComponent(d.name)}&limit=1&resultChars=200`)));
        if (mine !== generation) return;
        deployments.forEach((d, i) => lastRuns.set(d.id, runs[i]![0]));
        lastRunCells.clear();
        body.replaceChildren(...deployments.map(rowOf));
        status.textContent = deployments.length === 0 ? "No deployments yet. Declare one with deploy(flow, { name }) and run tributary deploy <file>." : `${deployments.length} deployment${deployments.length === 1 ? "" : "s"}.`;
      } catch (error) {
        if (mine === generation) status.textContent = (error as Error).message;
      }
    };
    void load();

    const stopListening = events.listen((event) => {
      if (/^tributary\.deployment\.(paused|resumed|registered)$/.test(event.event)) {
        void load();
        return;
      }
      if (!event.event.startsWith("tributary.flow-run.")) return;
      const run = (event.payload as unknown as FlowRunEventPayload).flowRun;
      if (run?.deploymentId === undefined) return;
      const cell = lastRunCells.get(run.deploymentId);
      const last = lastRuns.get(run.deploymentId);
      if (cell === undefined || (last !== undefined && last.id !== run.id && last.createdAt > run.createdAt)) return;
      lastRuns.set(run.deploymentId, run);
      cell.replaceChildren(runSummary(run));
    });
    const stopReconnect = events.onReconnect(() => void load());
    return () => {
      generation++;
      stopListening();
      stopReconnect();
    };
  },
};
