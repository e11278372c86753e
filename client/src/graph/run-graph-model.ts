/**
 * One flow run as a graph: its task runs and subflow runs as nodes coloured by state, edges from
 * data passing and `waitFor` (TaskRunRecord.upstreamTaskRunIds) and from the task run a subflow
 * was called in (FlowRunRecord.parentTaskRunId). Pure: the run graph webview draws this, tests
 * check it without VS Code.
 */
import type { FlowRunRecord, TaskRunRecord } from "../../../runtime/src/store/records.js";
import { isFinal } from "../../../runtime/src/states.js";

export interface RunGraphData {
  run: FlowRunRecord;
  taskRuns: TaskRunRecord[];
  subflowRuns: FlowRunRecord[];
}

export interface RunGraphNode {
  /** `task:<taskRunId>` or `flow:<flowRunId>`. */
  id: string;
  kind: "task" | "flow";
  runId: string;
  label: string;
  /** State name and duration, e.g. `Completed · 1.2s`. */
  detail: string;
  stateName: string;
  /** The state type in lower case (`completed`, `failed`, …): the class the webview colours. */
  stateClass: string;
}

export interface RunGraphEdge {
  id: string;
  from: string;
  to: string;
}

export interface RunGraph {
  title: string;
  stateName: string;
  stateClass: string;
  nodes: RunGraphNode[];
  edges: RunGraphEdge[];
  /** What the canvas says when there are no nodes: a finished run will have none, a live one may still. */
  emptyText: string;
}

export function toRunGraph(data: RunGraphData, now: Date = new Date()): RunGraph {
  const tasks = [...data.taskRuns].sort(byStart);
  const taskIds = new Set(tasks.map((t) => t.id));
  const nodes: RunGraphNode[] = [
    ...tasks.map((t) => node("task", t.id, t.mapIndex !== undefined ? `${t.taskName}[${t.mapIndex}]` : t.name, t, now)),
    ...[...data.subflowRuns].sort(byStart).map((r) => node("flow", r.id, `${r.flowName} (${r.name})`, r, now)),
  ];
  const edges: RunGraphEdge[] = [];
  for (const t of tasks) {
    for (const upstream of new Set(t.upstreamTaskRunIds)) {
      if (taskIds.has(upstream)) edges.push({ id: `e${edges.length}`, from: `task:${upstream}`, to: `task:${t.id}` });
    }
  }
  for (const r of data.subflowRuns) {
    if (r.parentTaskRunId !== undefined && taskIds.has(r.parentTaskRunId)) edges.push({ id: `e${edges.length}`, from: `task:${r.parentTaskRunId}`, to: `flow:${r.id}` });
  }
  const emptyText = isFinal(data.run.state)
    ? `This run ended ${data.run.state.name} without task runs or subflow runs.`
    : "This run has no task runs or subflow runs yet.";
  return { title: `${data.run.flowName} (${data.run.name})`, stateName: data.run.state.name, stateClass: data.run.state.type.toLowerCase(), nodes, edges, emptyText };
}

/** `850ms`, `1.2s`, `3m 05s`, `2h 04m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

type Timed = { state: { type: string; name: string }; startTime?: string; endTime?: string; createdAt: string };

function node(kind: "task" | "flow", runId: string, label: string, run: Timed, now: Date): RunGraphNode {
  const duration = run.startTime === undefined ? undefined : (run.endTime !== undefined ? Date.parse(run.endTime) : now.getTime()) - Date.parse(run.startTime);
  return {
    id: `${kind}:${runId}`,
    kind,
    runId,
    label,
    detail: duration === undefined ? run.state.name : `${run.state.name} · ${formatDuration(duration)}`,
    stateName: run.state.name,
    stateClass: run.state.type.toLowerCase(),
  };
}

function byStart(a: Timed, b: Timed): number {
  const ka = a.startTime ?? a.createdAt;
  const kb = b.startTime ?? b.createdAt;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** An event of the stream, as far as the run graph reads it. */
export interface RunEvent {
  event: string;
  payload: Record<string, unknown>;
  related?: { id: string }[];
}

/**
 * Whether a stream event changes the graph of run `runId`: a state change of the run itself or of
 * one of its subflow runs (`tributary.flow-run.*`), or of one of its task runs
 * (`tributary.task-run.*`, whose `related` names the flow run).
 */
export function eventTouchesRun(event: RunEvent, runId: string): boolean {
  if (event.event.startsWith("tributary.flow-run.")) {
    const run = event.payload.flowRun as { id?: unknown; parentFlowRunId?: unknown } | undefined;
    return run !== undefined && (run.id === runId || run.parentFlowRunId === runId);
  }
  if (event.event.startsWith("tributary.task-run.")) {
    const taskRun = event.payload.taskRun as { flowRunId?: unknown } | undefined;
    return taskRun?.flowRunId === runId || (event.related ?? []).some((r) => r.id === `tributary.flow-run.${runId}`);
  }
  return false;
}
