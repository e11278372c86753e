/// <reference lib="dom" />
/**
 * Workers and pools: each worker (a server's own, or `tributary worker start`), online or offline,
 * its last heartbeat (how long ago, and when exactly), its pools and how many runs it executes now;
 * its name leads to the runs it claimed (Flow Runs filtered by `worker`). Heartbeats are not
 * events: the list is read again every few seconds while shown.
 */
import type { ListedWorker } from "../../orchestrator/contract.js";
import { h, relativeTime, timeElement } from "../dom.js";
import type { Page } from "../page.js";
import { workerRunsHref } from "./parts.js";

const REFRESH_MS = 5000;

export const workersPage: Page = {
  path: "/workers",
  nav: "Workers",
  title: () => "Workers",
  render(view, _params, { api }) {
    const status = h("p", { class: "muted" }, "Loading…");
    const body = h("tbody");
    const headings = ["Worker", "Kind", "Status", "Last heartbeat", "Pools", "Runs now", "Started"];
    const table = h("table", { id: "workers", "aria-label": "Workers, the last heard of first" }, h("thead", {}, h("tr", {}, ...headings.map((text) => h("th", { scope: "col" }, text)))), body);
    const pools = h("div", { id: "pools" });
    view.append(h("h1", {}, "Workers"), status, table, pools);

    const rowOf = (w: ListedWorker) =>
      h(
        "tr",
        { "data-worker": w.name, "data-status": w.status },
        h(
          "th",
          { scope: "row" },
          // The name first in what a screen reader says, as on screen; the rest says where it leads.
          h("a", { href: workerRunsHref(w.name), class: "worker-runs", "aria-label": `${w.name}: the flow runs it claimed` }, w.name),
          h("div", { class: "muted" }, `${w.host}, pid ${w.pid}`),
        ),
        h("td", {}, w.kind === "server" ? "server's own" : "worker"),
        h("td", {}, h("span", { class: `badge badge-${w.status}` }, w.status === "online" ? "Online" : w.stoppedAt !== undefined ? "Offline (stopped)" : "Offline")),
        h("td", {}, relativeTime(w.lastHeartbeat), h("div", { class: "muted" }, timeElement(w.lastHeartbeat))),
        h("td", {}, w.pools.join(", ")),
        h("td", {}, String(w.runs)),
        h("td", {}, timeElement(w.startedAt)),
      );

    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = async () => {
      try {
        const workers = await api.get<ListedWorker[]>("/api/workers");
        if (stopped) return;
        // Rows are drawn anew each time: a reader whose focus is on a worker's link keeps it.
        const focused = body.contains(document.activeElement) ? (document.activeElement as HTMLElement).closest<HTMLElement>("tr[data-worker]")?.dataset.worker : undefined;
        body.replaceChildren(...workers.map(rowOf));
        if (focused !== undefined) body.querySelector<HTMLElement>(`tr[data-worker="${CSS.escape(focused)}"] a`)?.focus();
        status.textContent = workers.length === 0 ? "No workers yet: tributary server start runs one, tributary worker start another." : `${workers.filter((w) => w.status === "online").length} of ${workers.length} online.`;
        pools.replaceChildren(...poolSummary(workers));
      } catch (error) {
        if (!stopped) status.textContent = (error as Error).message;
      }
      if (!stopped) timer = setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
};

/** Each pool with its online workers and the runs they execute now. */
function poolSummary(workers: ListedWorker[]): HTMLElement[] {
  const byPool = new Map<string, ListedWorker[]>();
  for (const w of workers) for (const pool of w.pools) byPool.set(pool, [...(byPool.get(pool) ?? []), w]);
  if (byPool.size === 0) return [];
  const rows = [...byPool].sort(([a], [b]) => a.localeCompare(b)).map(([pool, members]) => {
    const online = members.filter((w) => w.status === "online");
    return h("tr", { "data-pool": pool }, h("th", { scope: "row" }, pool), h("td", {}, `${online.length} of ${members.length}`), h("td", {}, String(online.reduce((sum, w) => sum + w.runs, 0))));
  });
  return [h("h2", {}, "Pools"), h("table", { "aria-label": "Work pools" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Pool"), h("th", { scope: "col" }, "Workers online"), h("th", { scope: "col" }, "Runs now"))), h("tbody", {}, ...rows))];
}
