/// <reference lib="dom" />
/**
 * A flow run's page (`#/runs/<id>`): its state and timing, the worker that claimed it, parameters
 * and result, what started it (the causal chain), its state history, task runs, subflow runs and
 * logs, and Cancel / Retry / Resume. It listens to the stream before it reads, keeps what arrives
 * meanwhile, and applies it after: state changes, task runs (by id), subflow runs (by parent) and
 * log lines follow live.
 * A broadcast log line has no stored id, so lines are told apart by time, task run and message
 * (contract.ts).
 */
import type { CausalLink, DeploymentRecord, FlowRunEventPayload, LogEventPayload, TaskRunEventPayload, TributaryEvent } from "../../orchestrator/contract.js";
import { isFinal } from "../../states.js";
import type { FlowRunRecord, JsonValue, StateHistoryEntry, StoredLogRecord, TaskRunRecord } from "../../store/records.js";
import { ApiError } from "../api.js";
import { duration, h, timeElement } from "../dom.js";
import type { Page } from "../page.js";
import { stateBadge } from "./flow-runs.js";
import { deploymentHref, runGraphHref } from "./parts.js";

const RESULT_CHARS = 4000;

function json(value: JsonValue | undefined): string {
  const text = JSON.stringify(value, null, 2) ?? "undefined";
  return text.length > RESULT_CHARS ? `${text.slice(0, RESULT_CHARS)}\n… (${text.length.toLocaleString()} characters in all)` : text;
}

const runLink = (run: { id: string; name: string }) => h("a", { href: `#/runs/${encodeURIComponent(run.id)}` }, run.name);
const logKey = (log: { timestamp: string; taskRunId?: string; message: string }) => `${log.timestamp}\u0000${log.taskRunId ?? ""}\u0000${log.message}`;

function section(title: string, id: string, ...children: (Node | string)[]): HTMLElement {
  return h("section", { "aria-labelledby": `${id}-title`, id }, h("h2", { id: `${id}-title` }, title), ...children);
}

export const flowRunPage: Page = {
  path: "/runs/:id",
  title: (params) => `Flow run ${params.id ?? ""}`,
  render(view, params, { api, events, announce }) {
    const id = params.id!;
    const base = `/api/flow-runs/${encodeURIComponent(id)}`;
    let run: FlowRunRecord | undefined;
    const deploymentNames = new Map<string, string>();
    const taskNames = new Map<string, string>();

    const heading = h("h1", {}, "Flow run");
    const alert = h("p", { class: "error", role: "alert" });
    const summary = h("dl", { class: "summary" });
    /** The summary's duration, which goes on growing while the run runs. */
    let durationCell: HTMLElement | undefined;
    const cancel = h("button", { type: "button", hidden: true }, "Cancel");
    const retry = h("button", { type: "button", hidden: true }, "Retry");
    const resume = h("button", { type: "button", hidden: true }, "Resume");
    const actions = h("div", { class: "actions", role: "group", "aria-label": "Flow run actions" }, cancel, retry, resume);
    const parameters = h("pre", { class: "json", tabindex: 0, "aria-label": "Parameters" });
    const result = h("pre", { class: "json", tabindex: 0, "aria-label": "Result" });
    const chain = h("ol", { class: "chain" });
    const statesBody = h("tbody");
    const tasksBody = h("tbody");
    const subflowsBody = h("tbody");
    const logList = h("ol", { class: "logs", tabindex: 0, "aria-label": "Log lines, oldest first" });
    const table = (label: string, columns: string[], body: HTMLElement, tableId: string) =>
      h("table", { id: tableId, "aria-label": label }, h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))), body);
    view.append(
      h("p", {}, h("a", { href: "#/" }, "← Flow Runs"), " · ", h("a", { href: runGraphHref(id) }, "Graph of this run")),
      heading,
      alert,
      summary,
      actions,
      section("Started by", "run-chain", chain),
      section("Parameters", "run-parameters", parameters),
      section("Result", "run-result", result),
      section("State history", "run-states", table("State history, oldest first", ["State", "At", "Message"], statesBody, "state-history")),
      section("Task runs", "run-tasks", table("Task runs", ["State", "Task run", "Started", "Duration"], tasksBody, "task-runs")),
      section("Subflow runs", "run-subflows", table("Subflow runs", ["State", "Flow / run", "Started", "Duration"], subflowsBody, "subflow-runs")),
      section("Logs", "run-logs", logList),
    );

    const showRun = (next: FlowRunRecord) => {
      run = next;
      view.dataset.state = next.state.name;
      heading.replaceChildren(`${next.flowName} / ${next.name} `, stateBadge(next.state));
      document.title = `${next.name} · Tributary`;
      const rows: [string, Node | string][] = [
        ["State", h("span", { id: "run-state", "data-state": next.state.name }, stateBadge(next.state), next.state.message ? ` — ${next.state.message}` : "")],
        ["Id", h("code", {}, next.id)],
        ["Deployment", next.deploymentId === undefined ? "none (run from a flow file)" : deploymentNames.has(next.deploymentId) ? h("a", { href: deploymentHref(deploymentNames.get(next.deploymentId)!) }, deploymentNames.get(next.deploymentId)!) : next.deploymentId],
      ];
      // Only a run a worker claimed has one (a deployment run from its claim on), and keeps it once it ended.
      if (next.workerName !== undefined) {
        rows.push(["Worker", h("a", { href: "#/workers", id: "run-worker", "aria-label": `${next.workerName}, on the Workers page` }, next.workerName)]);
      }
      durationCell = h("span", {}, duration(next.startTime, next.endTime));
      rows.push(
        ["Tags", next.tags.length ? next.tags.join(", ") : "none"],
        ["Created", timeElement(next.createdAt)],
        ["Started", next.startTime ? timeElement(next.startTime) : "not yet"],
        ["Ended", next.endTime ? timeElement(next.endTime) : "not yet"],
        ["Duration", durationCell],
        ["Attempts", String(next.runCount)],
      );
      if (next.parentFlowRunId) rows.push(["Parent run", runLink({ id: next.parentFlowRunId, name: next.parentFlowRunId })]);
      summary.replaceChildren(...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
      parameters.textContent = Object.keys(next.parameters).length ? json(next.parameters) : "(none)";
      result.textContent = next.result === undefined ? (isFinal(next.state) ? "(none)" : "(not yet)") : json(next.result);
      chain.replaceChildren(...chainItems(next.chain ?? []));
      cancel.hidden = isFinal(next.state);
      retry.hidden = !(isFinal(next.state) && next.deploymentId !== undefined);
      resume.hidden = next.state.type !== "PAUSED";
    };
    const chainItems = (links: CausalLink[]) => {
      if (links.length === 0) return [h("li", {}, "Nothing recorded: started by hand, by a schedule or from a flow file.")];
      return links.map((link) => {
        if (link.kind === "flow-run") return h("li", {}, "flow run ", runLink(link));
        if (link.kind === "deployment") return h("li", {}, "deployment ", h("a", { href: deploymentHref(link.name) }, link.name));
        return h("li", {}, "automation ", h("a", { href: "#/automations" }, link.name));
      });
    };

    const stateRow = (state: { name: string; type: string; timestamp: string; message?: string }) =>
      h("tr", { "data-state": state.name }, h("td", {}, stateBadge(state)), h("td", {}, timeElement(state.timestamp)), h("td", {}, state.message ?? ""));
    const lastState = () => statesBody.lastElementChild as HTMLElement | null;
    const addState = (state: FlowRunRecord["state"]) => {
      const last = lastState();
      if (last?.dataset.state === state.name && last.querySelector("time")?.getAttribute("datetime") === state.timestamp) return;
      statesBody.append(stateRow(state));
    };

    const childRow = (child: { id: string; state: FlowRunRecord["state"]; startTime?: string; endTime?: string }, name: Node | string) =>
      h("tr", { "data-id": child.id, "data-state": child.state.name }, h("td", {}, stateBadge(child.state)), h("td", {}, name), h("td", {}, child.startTime ? timeElement(child.startTime) : "not started"), h("td", {}, duration(child.startTime, child.endTime)));
    const upsert = (body: HTMLElement, childId: string, row: HTMLElement) => {
      const existing = body.querySelector(`tr[data-id="${CSS.escape(childId)}"]`);
      if (existing) existing.replaceWith(row);
      else body.append(row);
    };
    const showTask = (task: TaskRunRecord) => {
      taskNames.set(task.id, task.name);
      upsert(tasksBody, task.id, childRow(task, task.name));
    };
    const showSubflow = (child: FlowRunRecord) => upsert(subflowsBody, child.id, childRow(child, h("a", { href: `#/runs/${encodeURIComponent(child.id)}` }, `${child.flowName} / ${child.name}`)));

    const seenLogs = new Set<string>();
    const showLog = (log: LogEventPayload | StoredLogRecord) => {
      const key = logKey(log);
      if (seenLogs.has(key)) return;
      seenLogs.add(key);
      const atBottom = logList.scrollTop + logList.clientHeight >= logList.scrollHeight - 4;
      logList.append(
        h(
          "li",
          { class: `log log-${log.level}` },
          timeElement(log.timestamp),
          " ",
          h("span", { class: "level" }, log.level.toUpperCase()),
          " ",
          log.taskRunId ? h("span", { class: "muted" }, `${taskNames.get(log.taskRunId) ?? "task"}: `) : "",
          h("span", { class: "message" }, log.message),
        ),
      );
      if (atBottom) logList.scrollTop = logList.scrollHeight;
    };

    /** An event about this run, its task runs, its subflow runs or its logs. */
    const apply = (event: TributaryEvent) => {
      if (event.event === "tributary.log") {
        const log = event.payload as unknown as LogEventPayload;
        if (log.flowRunId === run?.id) showLog(log);
      } else if (event.event.startsWith("tributary.task-run.")) {
        const task = (event.payload as unknown as TaskRunEventPayload).taskRun;
        if (task?.flowRunId === run?.id) showTask(task);
      } else if (event.event.startsWith("tributary.flow-run.")) {
        const changed = (event.payload as unknown as FlowRunEventPayload).flowRun;
        if (changed === undefined || run === undefined) return;
        if (changed.id === run.id) {
          showRun(changed);
          addState(changed.state);
          announce(`Flow run ${changed.name}: ${changed.state.name}`);
        } else if (changed.parentFlowRunId === run.id) showSubflow(changed);
      }
    };

    // Listen first; what comes while the page reads is applied after (dropping what it read already).
    let pending: TributaryEvent[] | undefined = [];
    const stopListening = events.listen((event) => (pending ? pending.push(event) : apply(event)));
    const load = async () => {
      try {
        const first = await api.get<FlowRunRecord>(base);
        const [states, tasks, subflows, logs, deployments] = await Promise.all([
          api.get<StateHistoryEntry[]>(`${base}/states`),
          api.get<TaskRunRecord[]>(`${base}/task-runs`),
          api.get<FlowRunRecord[]>(`/api/flow-runs?parentFlowRunId=${encodeURIComponent(first.id)}&limit=200&sort=created-asc&resultChars=200`),
          api.get<StoredLogRecord[]>(`${base}/logs`),
          api.get<DeploymentRecord[]>("/api/deployments"),
        ]);
        for (const deployment of deployments) deploymentNames.set(deployment.id, deployment.name);
        showRun(first);
        statesBody.replaceChildren(...states.map(stateRow));
        tasksBody.replaceChildren();
        for (const task of tasks) showTask(task);
        subflowsBody.replaceChildren();
        for (const child of subflows) showSubflow(child);
        logList.replaceChildren();
        seenLogs.clear();
        for (const log of logs) showLog(log);
        alert.textContent = "";
      } catch (error) {
        alert.textContent = error instanceof ApiError && error.status === 404 ? `No flow run has the id ${id}.` : (error as Error).message;
      } finally {
        const queued = pending ?? [];
        pending = undefined;
        for (const event of queued) apply(event);
      }
    };
    void load();
    const stopReconnect = events.onReconnect(() => {
      pending = [];
      void load();
    });

    const act = (button: HTMLButtonElement, verb: string) =>
      button.addEventListener("click", () => {
        if (run === undefined) return;
        button.disabled = true;
        alert.textContent = "";
        api.post<FlowRunRecord>(`/api/flow-runs/${encodeURIComponent(run.id)}/${verb}`).then(
          (answer) => {
            button.disabled = false;
            announce(`${button.textContent ?? verb} asked; the run is ${answer.state.name}.`);
            if (answer.state.timestamp >= (run?.state.timestamp ?? "")) {
              showRun(answer);
              addState(answer.state);
            }
          },
          (error: Error) => {
            button.disabled = false;
            alert.textContent = error.message;
          },
        );
      });
    act(cancel, "cancel");
    act(retry, "retry");
    act(resume, "resume");
    // A running run's duration goes on growing.
    const ticker = setInterval(() => {
      if (run !== undefined && run.startTime !== undefined && run.endTime === undefined && durationCell !== undefined) {
        durationCell.textContent = duration(run.startTime, undefined);
      }
    }, 1000);
    return () => {
      clearInterval(ticker);
      stopListening();
      stopReconnect();
    };
  },
};
