/// <reference lib="dom" />
/** Pieces the views share: API paths and links, a run's state, a pause toggle. */
import type { ListedFlowRun } from "../../orchestrator/contract.js";
import type { FlowRunRecord } from "../../store/records.js";
import { h, relativeTime } from "../dom.js";
import type { PageContext } from "../page.js";

/** `/api/deployments/flow%2Fdeploy`: a name goes URL-encoded, slash and all. */
export const deploymentApi = (name: string): string => `/api/deployments/${encodeURIComponent(name)}`;
export const automationApi = (name: string): string => `/api/automations/${encodeURIComponent(name)}`;
/** The dashboard's own link to a deployment's view. */
export const deploymentHref = (name: string): string => `#/deployments/${encodeURIComponent(name)}`;
export const runHref = (id: string): string => `#/runs/${encodeURIComponent(id)}`;
/** The address of a run's graph: the run page links here. */
export const runGraphHref = (id: string): string => `#/runs/${encodeURIComponent(id)}/graph`;
/** Flow Runs filtered to the runs a worker claimed (`worker` in the hash query, as flow-runs.ts reads it). */
export const workerRunsHref = (name: string): string => `#/?worker=${encodeURIComponent(name)}`;

/** A run's state, coloured as on Flow Runs, with a link to the run's page and when it was made. */
export function runSummary(run: FlowRunRecord | ListedFlowRun | undefined): HTMLElement | string {
  if (run === undefined) return h("span", { class: "muted" }, "none yet");
  return h(
    "span",
    { class: "run-summary", "data-flow-run-id": run.id },
    h("a", { href: runHref(run.id) }, h("span", { class: `state state-${run.state.type.toLowerCase()}` }, run.state.name), " ", run.name),
    " ",
    h("span", { class: "muted" }, relativeTime(run.startTime ?? run.expectedStartTime ?? run.createdAt)),
  );
}

/**
 * A button that pauses or resumes something (POST …/pause or …/resume), labelled for screen
 * readers with what it acts on; `done` gets the server's answer. A refusal is said in `announce`.
 */
export function pauseToggle(what: string, paused: boolean, apiPath: string, context: PageContext, done: (record: unknown) => void): HTMLButtonElement {
  const verb = paused ? "Resume" : "Pause";
  const button = h("button", { type: "button", class: "pause-toggle", "aria-label": `${verb} ${what}` }, verb);
  button.addEventListener("click", () => {
    button.disabled = true;
    context.api.post<unknown>(`${apiPath}/${paused ? "resume" : "pause"}`).then(
      (record) => {
        context.announce(`${what} ${paused ? "resumed" : "paused"}.`);
        done(record);
      },
      (error: Error) => {
        button.disabled = false;
        context.announce(error.message);
      },
    );
  });
  return button;
}

/** Paused or Active, as a word (not a colour alone). */
export function pausedBadge(paused: boolean): HTMLElement {
  return h("span", { class: paused ? "badge badge-paused" : "badge badge-active" }, paused ? "Paused" : "Active");
}
