/// <reference lib="dom" />
/**
 * One deployment: its details, each schedule in words, its next runs, its last runs (links to
 * their pages), Pause and Resume, and the Run form (run-form.ts). Live: its pause, resume or new
 * registration reloads the view (the form is kept while the reader types), its runs update.
 */
import type { DeploymentRecord, FlowRunEventPayload, ListedFlowRun } from "../../orchestrator/contract.js";
import { compileSchedule, nextScheduledTimes } from "../../schedules/schedule.js";
import { append, h, relativeTime, timeElement, type Child } from "../dom.js";
import { deploymentOutline } from "../page-outlines.js";
import type { Page } from "../page.js";
import { deploymentApi, pausedBadge, pauseToggle, runHref } from "./parts.js";
import { runForm } from "./run-form.js";

const NEXT_RUNS = 5;
const LAST_RUNS = 10;

export const deploymentPage: Page = {
  ...deploymentOutline,
  render(view, params, context) {
    const { api, events } = context;
    const name = params.name!;
    const status = h("p", { class: "muted" }, "Loading…");
    const heading = h("h1", {}, name);
    const details = h("section", { "aria-label": "Details" });
    const runsBody = h("tbody");
    const runsTable = h(
      "table",
      { id: "deployment-runs", "aria-label": `Last runs of ${name}` },
      h("thead", {}, h("tr", {}, ...["Run", "State", "Created", "Parameters"].map((text) => h("th", { scope: "col" }, text)))),
      runsBody,
    );
    const formSlot = h("section", {});
    view.append(h("p", {}, h("a", { href: "#/deployments" }, "← Deployments")), heading, status, details, formSlot, h("h2", {}, "Last runs"), runsTable);
    let deployment: DeploymentRecord | undefined;
    const runRows = new Map<string, HTMLTableRowElement>();

    const rowOf = (run: ListedFlowRun) =>
      h(
        "tr",
        { "data-flow-run-id": run.id },
        h("td", {}, h("a", { href: runHref(run.id) }, run.name)),
        h("td", {}, h("span", { class: `state state-${run.state.type.toLowerCase()}` }, run.state.name)),
        h("td", {}, relativeTime(run.createdAt), " ", h("span", { class: "muted" }, "(", timeElement(run.createdAt), ")")),
        h("td", {}, h("code", {}, JSON.stringify(run.parameters))),
      );

    const showDetails = (d: DeploymentRecord) => {
      const facts: [string, Child | Child[]][] = [
        ["Flow", d.flowName],
        ["Status", [pausedBadge(d.paused), " ", pauseToggle(d.name, d.paused, deploymentApi(d.name), context, (record) => showDetails(record as DeploymentRecord))]],
        ["Entrypoint", h("code", {}, `${d.entrypoint} in ${d.workDir}`)],
        ["Work pool", d.pool ?? "default"],
        ["Tags", d.tags.join(", ") || "—"],
        ["Concurrency", d.concurrencyLimit === undefined ? "unlimited" : String(d.concurrencyLimit)],
        ["Parameters", h("code", {}, JSON.stringify(d.parameters))],
      ];
      if (d.description !== undefined) facts.unshift(["Description", d.description]);
      details.replaceChildren();
      append(details, [
        h("dl", { class: "facts" }, ...facts.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
        h("h2", {}, "Schedules"),
        d.schedules.length === 0 ? h("p", { class: "muted" }, "None: it runs when asked (Run, the CLI, an automation or another flow).") : h("ul", { id: "schedules" }, ...d.schedules.map((spec) => h("li", {}, describe(spec)))),
        d.schedules.length === 0 ? null : h("h2", {}, "Next runs"),
        d.schedules.length === 0 ? null : nextRuns(d),
      ]);
      view.dataset.paused = String(d.paused);
    };

    let generation = 0;
    const load = async (keepForm: boolean) => {
      const mine = ++generation;
      try {
        const [d, runs] = await Promise.all([
          api.get<DeploymentRecord>(deploymentApi(name)),
          api.get<ListedFlowRun[]>(`/api/flow-runs?deploymentName=${encodeURIComponent(name)}&limit=${LAST_RUNS}&resultChars=200`),
        ]);
        if (mine !== generation) return;
        const schemaChanged = deployment === undefined || JSON.stringify([deployment.parameterSchema, deployment.parameters]) !== JSON.stringify([d.parameterSchema, d.parameters]);
        deployment = d;
        status.textContent = "";
        showDetails(d);
        if (!keepForm || schemaChanged) formSlot.replaceChildren(runForm(d, context));
        runRows.clear();
        runsBody.replaceChildren(...runs.map((run) => {
          const row = rowOf(run);
          runRows.set(run.id, row);
          return row;
        }));
        if (runs.length === 0) runsBody.append(h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No runs yet.")));
      } catch (error) {
        if (mine === generation) status.textContent = (error as Error).message;
      }
    };
    void load(false);

    const stopListening = events.listen((event) => {
      if (deployment === undefined) return;
      if (/^tributary\.deployment\.(paused|resumed|registered)$/.test(event.event) && event.resource.name === name) {
        void load(true);
        return;
      }
      if (!event.event.startsWith("tributary.flow-run.")) return;
      const run = (event.payload as unknown as FlowRunEventPayload).flowRun;
      if (run?.deploymentId !== deployment.id) return;
      const row = rowOf(run);
      const existing = runRows.get(run.id);
      if (existing) existing.replaceWith(row);
      else {
        runsBody.querySelector("td[colspan]")?.parentElement?.remove();
        runsBody.prepend(row);
      }
      runRows.set(run.id, row);
    });
    const stopReconnect = events.onReconnect(() => void load(true));
    return () => {
      generation++;
      stopListening();
      stopReconnect();
    };
  },
};

function describe(spec: DeploymentRecord["schedules"][number]): string {
  try {
    return compileSchedule(spec).describe();
  } catch (error) {
    return (error as Error).message;
  }
}

function nextRuns(d: DeploymentRecord): HTMLElement {
  if (d.paused) return h("p", { class: "muted" }, "None while the deployment is paused.");
  let times: Date[];
  try {
    times = nextScheduledTimes(d.schedules, NEXT_RUNS, new Date(), new Date(d.createdAt));
  } catch (error) {
    return h("p", {}, (error as Error).message);
  }
  if (times.length === 0) return h("p", { class: "muted" }, "Its schedules make no more runs.");
  return h("ol", { id: "next-runs" }, ...times.map((time) => h("li", {}, timeElement(time.toISOString()), " ", h("span", { class: "muted" }, `(${relativeTime(time.toISOString())})`))));
}
