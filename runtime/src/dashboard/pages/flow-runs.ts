/// <reference lib="dom" />
/** Flow Runs: the latest runs, newest first, updated live from the event stream. */
import type { FlowRunEventPayload, ListedFlowRun } from "../../orchestrator/contract.js";
import { h, relativeTime } from "../dom.js";
import type { Page } from "../page.js";

const LIMIT = 50;

export const flowRunsPage: Page = {
  path: "/",
  nav: "Flow Runs",
  title: () => "Flow Runs",
  render(view, _params, { api, events, announce }) {
    const status = h("p", { class: "muted" }, "Loading…");
    const body = h("tbody");
    const table = h("table", { id: "flow-runs", class: "runs", "aria-label": "Flow runs, newest first" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "State"), h("th", { scope: "col" }, "Flow / run"), h("th", { scope: "col" }, "Started"))), body);
    view.append(h("h1", {}, "Flow Runs"), status, table);
    const rows = new Map<string, HTMLTableRowElement>();
    const rowOf = (run: ListedFlowRun) =>
      h("tr", { "data-flow-run-id": run.id, "data-state": run.state.name }, h("td", {}, h("span", { class: `state state-${run.state.type.toLowerCase()}` }, run.state.name)), h("td", { class: "run-name" }, `${run.flowName} / ${run.name}`), h("td", {}, relativeTime(run.startTime ?? run.createdAt)));
    const show = (runs: ListedFlowRun[]) => {
      rows.clear();
      body.replaceChildren(...runs.map((run) => {
        const row = rowOf(run);
        rows.set(run.id, row);
        return row;
      }));
      status.textContent = runs.length === 0 ? "No flow runs yet." : `${runs.length} latest flow run${runs.length === 1 ? "" : "s"}.`;
    };
    const load = () => api.get<ListedFlowRun[]>(`/api/flow-runs?limit=${LIMIT}&resultChars=200`).then(show, (error: Error) => (status.textContent = error.message));
    void load();
    const stopListening = events.listen((event) => {
      if (!event.event.startsWith("tributary.flow-run.")) return;
      const run = (event.payload as unknown as FlowRunEventPayload).flowRun;
      if (run === undefined) return;
      const row = rowOf(run);
      const existing = rows.get(run.id);
      if (existing) existing.replaceWith(row);
      else body.prepend(row);
      rows.set(run.id, row);
      announce(`${run.flowName} / ${run.name}: ${run.state.name}`);
    });
    const stopReconnect = events.onReconnect(() => void load());
    return () => {
      stopListening();
      stopReconnect();
    };
  },
};
