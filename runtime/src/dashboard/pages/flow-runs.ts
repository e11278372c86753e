/// <reference lib="dom" />
/**
 * Flow Runs: runs newest first, 50 at a time ("Load more" reads the next page by cursor: the last
 * id shown), filtered by flow, state, deployment, worker, tag and start time. The filters live in
 * the address (`#/?state=Failed&flow=etl`, Workers' `#/?worker=<name>`), so a link or a reload
 * shows the same list. Rows change in place from the event stream; a new run that fits the
 * filters comes in at the top.
 * `performance.mark("flow-runs:first-rows")` is set once the first rows are in the DOM (the bench).
 */
import type { DeploymentRecord, FlowRunEventPayload, ListedFlowRun } from "../../orchestrator/contract.js";
import { STATE_NAMES } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import { duration, h, relativeTime } from "../dom.js";
import type { Page } from "../page.js";
import { hashQuery } from "../router.js";

const LIMIT = 50;

/** The filters, as the hash query names them. */
interface Filters {
  flow: string;
  state: string;
  deployment: string;
  /** The name of the worker that claimed the run (FlowRunRecord.workerName). */
  worker: string;
  tag: string;
  startedAfter: string;
  startedBefore: string;
}
const FILTER_KEYS: (keyof Filters)[] = ["flow", "state", "deployment", "worker", "tag", "startedAfter", "startedBefore"];

function readFilters(): Filters {
  const query = hashQuery();
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, query.get(key)?.trim() ?? ""])) as unknown as Filters;
}

/** The API query for a page of runs under `filters`, after `cursor`. */
function listQuery(filters: Filters, cursor: string | undefined): string {
  const query = new URLSearchParams({ limit: String(LIMIT), resultChars: "200" });
  if (filters.flow) query.set("flowName", filters.flow);
  if (filters.state) query.set("state", filters.state);
  if (filters.deployment) query.set("deploymentName", filters.deployment);
  if (filters.worker) query.set("worker", filters.worker);
  if (filters.tag) query.set("tags", filters.tag);
  if (filters.startedAfter) query.set("startedAfter", filters.startedAfter);
  if (filters.startedBefore) query.set("startedBefore", filters.startedBefore);
  if (cursor !== undefined) query.set("before", cursor);
  return `/api/flow-runs?${query.toString()}`;
}

/** `2026-01-02T03:04` (a datetime-local input's value, local time) for an ISO time, and back. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string {
  const date = new Date(value);
  return value === "" || Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

/** The state's name in its colour: the text says it, the colour only repeats it. */
export function stateBadge(state: { type: string; name: string }): HTMLElement {
  return h("span", { class: `state state-${state.type.toLowerCase()}` }, state.name);
}

export const flowRunsPage: Page = {
  path: "/",
  nav: "Flow Runs",
  title: () => "Flow Runs",
  render(view, _params, { api, events, announce }) {
    const filters = readFilters();
    const deploymentNames = new Map<string, string>();
    /** The id of the filtered deployment, once known: new runs from the stream are matched by it. */
    let deploymentId: string | undefined;

    const field = (key: keyof Filters, label: string, control: HTMLInputElement | HTMLSelectElement) => {
      control.id = `filter-${key}`;
      control.name = key;
      return h("div", { class: "field" }, h("label", { for: control.id }, label), control);
    };
    const stateSelect = h("select", {}, h("option", { value: "" }, "Any"), ...Object.keys(STATE_NAMES).map((name) => h("option", { value: name }, name)));
    stateSelect.value = filters.state;
    const input = (value: string, attributes: Record<string, string> = {}) => h("input", { type: "text", value, ...attributes });
    const after = h("input", { type: "datetime-local", value: filters.startedAfter ? toLocalInput(filters.startedAfter) : "" });
    const beforeInput = h("input", { type: "datetime-local", value: filters.startedBefore ? toLocalInput(filters.startedBefore) : "" });
    const form = h(
      "form",
      { class: "filters", role: "search", "aria-label": "Filter flow runs" },
      field("flow", "Flow", input(filters.flow, { placeholder: "any flow" })),
      field("state", "State", stateSelect),
      field("deployment", "Deployment", input(filters.deployment, { placeholder: "flow/deployment" })),
      field("worker", "Worker", input(filters.worker, { placeholder: "any worker" })),
      field("tag", "Tag", input(filters.tag, { placeholder: "any tag" })),
      field("startedAfter", "Started after", after),
      field("startedBefore", "Started before", beforeInput),
      h("div", { class: "field actions" }, h("button", { type: "submit" }, "Apply"), h("a", { href: "#/" }, "Clear")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const query = new URLSearchParams();
      for (const key of FILTER_KEYS) {
        let value = String(data.get(key) ?? "").trim();
        if (key === "startedAfter" || key === "startedBefore") value = fromLocalInput(value);
        if (value) query.set(key, value);
      }
      const text = query.toString();
      // The router draws the list again for the new address (and Back returns to the last one).
      location.hash = text ? `#/?${text}` : "#/";
    });

    const status = h("p", { class: "muted", role: "status" }, "Loading…");
    const problem = h("p", { class: "error", role: "alert", hidden: true });
    const body = h("tbody");
    const headers = ["State", "Flow / run", "Deployment", "Tags", "Started", "Duration"];
    const table = h("table", { id: "flow-runs", class: "runs", "aria-label": "Flow runs, newest first", "aria-describedby": "flow-runs-status" }, h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col" }, text)))), body);
    status.id = "flow-runs-status";
    const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
    view.append(h("h1", {}, "Flow Runs"), form, problem, status, table, more);

    const rows = new Map<string, HTMLTableRowElement>();
    let cursor: string | undefined;
    let shown = 0;

    const rowOf = (run: ListedFlowRun | FlowRunRecord) =>
      h(
        "tr",
        { "data-flow-run-id": run.id, "data-state": run.state.name },
        h("td", {}, stateBadge(run.state)),
        h("td", { class: "run-name" }, h("a", { href: `#/runs/${encodeURIComponent(run.id)}` }, `${run.flowName} / ${run.name}`)),
        h("td", { class: "deployment" }, run.deploymentId === undefined ? "" : (deploymentNames.get(run.deploymentId) ?? "")),
        h("td", { class: "tags" }, run.tags.map((tag) => h("span", { class: "tag" }, tag))),
        h("td", {}, run.startTime ? h("time", { datetime: run.startTime, title: run.startTime }, relativeTime(run.startTime)) : h("span", { class: "muted" }, "not started")),
        h("td", { class: "duration", "data-start": run.startTime, "data-end": run.endTime }, duration(run.startTime, run.endTime)),
      );
    const fillDeployments = () => {
      for (const row of rows.values()) {
        const cell = row.querySelector<HTMLElement>("td.deployment");
        const id = row.dataset.deploymentId;
        if (cell && id !== undefined) cell.textContent = deploymentNames.get(id) ?? "";
      }
    };
    /** `pageLength`: how many the server answered (a short page is the last one). */
    const addRows = (runs: ListedFlowRun[], where: "replace" | "append", pageLength = runs.length) => {
      const made = runs.map((run) => {
        const row = rowOf(run);
        if (run.deploymentId !== undefined) row.dataset.deploymentId = run.deploymentId;
        rows.set(run.id, row);
        return row;
      });
      if (where === "replace") body.replaceChildren(...made);
      else body.append(...made);
      shown += runs.length;
      cursor = runs.at(-1)?.id ?? cursor;
      more.hidden = pageLength < LIMIT;
      sayCount();
      return made;
    };
    const sayCount = () => {
      const filtered = FILTER_KEYS.some((key) => filters[key] !== "");
      status.textContent = shown === 0 ? (filtered ? "No flow runs match these filters." : "No flow runs yet.") : `${shown} flow run${shown === 1 ? "" : "s"}${filtered ? " matching the filters" : ""}, newest first${more.hidden ? "" : "; more below"}.`;
    };

    let generation = 0;
    const load = async () => {
      const mine = ++generation;
      problem.hidden = true;
      try {
        const [runs, deployments] = await Promise.all([api.get<ListedFlowRun[]>(listQuery(filters, undefined)), api.get<DeploymentRecord[]>("/api/deployments")]);
        if (mine !== generation) return;
        deploymentNames.clear();
        for (const deployment of deployments) deploymentNames.set(deployment.id, deployment.name);
        deploymentId = deployments.find((deployment) => deployment.name === filters.deployment)?.id;
        rows.clear();
        shown = 0;
        cursor = undefined;
        addRows(runs, "replace");
        if (!performance.getEntriesByName("flow-runs:first-rows").length) {
          performance.mark("flow-runs:first-rows");
          requestAnimationFrame(() => performance.mark("flow-runs:first-frame"));
        }
      } catch (error) {
        if (mine !== generation) return;
        status.textContent = "";
        problem.textContent = (error as Error).message;
        problem.hidden = false;
      }
    };
    more.addEventListener("click", () => {
      more.disabled = true;
      api.get<ListedFlowRun[]>(listQuery(filters, cursor)).then(
        (runs) => {
          more.disabled = false;
          // A run the stream brought in meanwhile may be on this page too.
          const made = addRows(runs.filter((run) => !rows.has(run.id)), "append", runs.length);
          cursor = runs.at(-1)?.id ?? cursor;
          // Keyboard readers carry on from the first new row.
          made[0]?.querySelector("a")?.focus();
        },
        (error: Error) => {
          more.disabled = false;
          problem.textContent = error.message;
          problem.hidden = false;
        },
      );
    });

    /** Whether a run from the stream belongs on this filtered list (as the server would filter it). */
    const matches = (run: FlowRunRecord) => {
      if (filters.flow && run.flowName !== filters.flow) return false;
      if (filters.state && run.state.name !== filters.state && run.state.type !== filters.state) return false;
      if (filters.deployment && (deploymentId === undefined || run.deploymentId !== deploymentId)) return false;
      // A run's events name its worker from its claim on (Pending); its Scheduled event names none yet.
      if (filters.worker && run.workerName !== filters.worker) return false;
      if (filters.tag && !filters.tag.split(",").every((tag) => run.tags.includes(tag.trim()))) return false;
      if (filters.startedAfter && !(run.startTime && run.startTime >= filters.startedAfter)) return false;
      if (filters.startedBefore && !(run.startTime && run.startTime <= filters.startedBefore)) return false;
      return true;
    };

    void load();
    const stopListening = events.listen((event) => {
      if (!event.event.startsWith("tributary.flow-run.")) return;
      const run = (event.payload as unknown as FlowRunEventPayload).flowRun;
      if (run === undefined) return;
      const existing = rows.get(run.id);
      if (!existing && !matches(run)) return;
      const row = rowOf(run);
      if (run.deploymentId !== undefined) row.dataset.deploymentId = run.deploymentId;
      if (existing) existing.replaceWith(row);
      else {
        body.prepend(row);
        shown++;
        sayCount();
      }
      rows.set(run.id, row);
      announce(`${run.flowName} / ${run.name}: ${run.state.name}`);
      if (run.deploymentId !== undefined && !deploymentNames.has(run.deploymentId)) {
        // A deployment registered since the list was read: learn its name.
        api.get<DeploymentRecord[]>("/api/deployments").then((deployments) => {
          for (const deployment of deployments) deploymentNames.set(deployment.id, deployment.name);
          fillDeployments();
        }, () => undefined);
      }
    });
    // Durations of running runs go on growing.
    const ticker = setInterval(() => {
      for (const cell of body.querySelectorAll<HTMLElement>("td.duration[data-start]:not([data-end])")) cell.textContent = duration(cell.dataset.start, undefined);
    }, 1000);
    const stopReconnect = events.onReconnect(() => void load());
    return () => {
      generation++;
      clearInterval(ticker);
      stopListening();
      stopReconnect();
    };
  },
};
