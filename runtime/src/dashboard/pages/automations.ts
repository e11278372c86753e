/// <reference lib="dom" />
/**
 * Automations: each one's state, what it links — the trigger it watches and the actions it takes,
 * in words (automation-words.ts) — when it last fired (its `tributary.automation.triggered`
 * events) and the runs it started (runs of the deployments it runs whose causal chain names it);
 * Pause and Resume. Live: any automation or deployment-run event reloads the list.
 */
import type { AutomationRecord, ListedFlowRun, TributaryEvent } from "../../orchestrator/contract.js";
import { describeAction, describeTrigger, deploymentsRun } from "../automation-words.js";
import { h, relativeTime, timeElement } from "../dom.js";
import type { Page } from "../page.js";
import { automationApi, deploymentHref, pausedBadge, pauseToggle, runSummary } from "./parts.js";

const STARTED_SHOWN = 5;

interface Seen {
  automation: AutomationRecord;
  lastFired: TributaryEvent | undefined;
  started: ListedFlowRun[];
}

export const automationsPage: Page = {
  path: "/automations",
  nav: "Automations",
  title: () => "Automations",
  render(view, _params, context) {
    const { api, events } = context;
    const status = h("p", { class: "muted" }, "Loading…");
    const list = h("div", { id: "automations" });
    view.append(h("h1", {}, "Automations"), status, list);

    const sectionOf = ({ automation: a, lastFired, started }: Seen): HTMLElement => {
      const section = h(
        "section",
        { class: "card", "data-automation": a.name, "aria-labelledby": `automation-${a.id}` },
        h("h2", { id: `automation-${a.id}` }, a.name, " ", pausedBadge(!a.enabled), " ", pauseToggle(a.name, !a.enabled, automationApi(a.name), context, () => void load())),
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Watches"),
          h("dd", { class: "trigger" }, describeTrigger(a.trigger)),
          h("dt", {}, "Does"),
          h("dd", {}, a.actions.length === 0 ? "nothing" : h("ul", { class: "actions" }, ...a.actions.map((action) => h("li", {}, describeAction(action))))),
          h("dt", {}, "Runs"),
          h("dd", {}, ...joinLinks(deploymentsRun(a.actions))),
          h("dt", {}, "Last fired"),
          h("dd", { class: "last-fired" }, lastFired === undefined ? h("span", { class: "muted" }, "never") : [relativeTime(lastFired.occurred), " (", timeElement(lastFired.occurred), ")", typeof lastFired.payload.triggeringEvent === "string" ? ` on ${lastFired.payload.triggeringEvent}` : ""]),
          h("dt", {}, "Started"),
          h("dd", { class: "started" }, started.length === 0 ? h("span", { class: "muted" }, "no runs") : h("ul", {}, ...started.slice(0, STARTED_SHOWN).map((run) => h("li", {}, runSummary(run))))),
        ),
      );
      return section;
    };

    let generation = 0;
    const load = async () => {
      const mine = ++generation;
      try {
        const automations = await api.get<AutomationRecord[]>("/api/automations");
        const seen = await Promise.all(automations.map((a) => seenOf(a)));
        if (mine !== generation) return;
        list.replaceChildren(...seen.map(sectionOf));
        status.textContent = automations.length === 0 ? "No automations yet. Declare one with automation(name, { trigger, actions }) and run tributary deploy <file>." : `${automations.length} automation${automations.length === 1 ? "" : "s"}.`;
      } catch (error) {
        if (mine === generation) status.textContent = (error as Error).message;
      }
    };
    const seenOf = async (automation: AutomationRecord): Promise<Seen> => {
      const resourceId = encodeURIComponent(`tributary.automation.${automation.id}`);
      const [fired, ...runLists] = await Promise.all([
        api.get<TributaryEvent[]>(`/api/events?event=tributary.automation.triggered&resourceId=${resourceId}&limit=1`),
        ...deploymentsRun(automation.actions).map((name) => api.get<ListedFlowRun[]>(`/api/flow-runs?deploymentName=${encodeURIComponent(name)}&limit=50&resultChars=200`).catch(() => [] as ListedFlowRun[])),
      ]);
      const started = runLists
        .flat()
        .filter((run) => run.chain?.some((link) => link.kind === "automation" && link.id === automation.id))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { automation, lastFired: fired.at(-1), started };
    };
    void load();

    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopListening = events.listen((event) => {
      const relevant = event.event.startsWith("tributary.automation.") || (event.event.startsWith("tributary.flow-run.") && event.chain?.some((link) => link.kind === "automation"));
      if (!relevant) return;
      // Bursts of events (a run's states) reload once.
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 300);
    });
    const stopReconnect = events.onReconnect(() => void load());
    return () => {
      generation++;
      clearTimeout(timer);
      stopListening();
      stopReconnect();
    };
  },
};

function joinLinks(names: string[]): (HTMLElement | string)[] {
  if (names.length === 0) return [h("span", { class: "muted" }, "no deployment")];
  return names.flatMap((name, i) => [...(i > 0 ? [", "] : []), h("a", { href: deploymentHref(name) }, name)]);
}
