/**
 * What the user reads when a run ends: one sentence from the `tributary run --json` record.
 * Pure, so that it is tested without VS Code.
 */

/** The part of the CLI's flow-run JSON (runtime/src/cli/flow-run-json.ts) that a summary needs. */
export interface FlowRunRecordJson {
  id: string;
  name: string;
  flowName: string;
  state: { type: string; name: string; message?: string };
  startTime?: string | null;
  endTime?: string | null;
  taskRuns: unknown[];
  subflowRuns: unknown[];
}

export function parseFlowRunJson(stdout: string): FlowRunRecordJson | undefined {
  try {
    const value = JSON.parse(stdout) as Partial<FlowRunRecordJson>;
    return typeof value.id === "string" && typeof value.flowName === "string" && typeof value.state?.type === "string" ? (value as FlowRunRecordJson) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One sentence for how a run ended. `cause` names what started a run the user did not start with
 * ▶ (`deployment etl/nightly`, `automation etl-after-extract`), after the flow's name.
 */
export function summarizeFlowRun(run: Pick<FlowRunRecordJson, "name" | "flowName" | "state" | "startTime" | "endTime" | "taskRuns" | "subflowRuns">, cause?: string): string {
  const duration = run.startTime && run.endTime ? ` in ${formatDuration(Date.parse(run.endTime) - Date.parse(run.startTime))}` : "";
  const children = [plural(run.taskRuns.length, "task run"), plural(run.subflowRuns.length, "subflow run")].filter((part) => part !== "").join(", ");
  const message = run.state.message ? `: ${run.state.message}` : "";
  const by = cause !== undefined ? ` (${cause})` : "";
  return `Flow run '${run.name}' of ${run.flowName}${by} ended ${run.state.name}${duration}${children ? ` (${children})` : ""}${message}.`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "an unknown time";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function plural(count: number, noun: string): string {
  return count === 0 ? "" : `${count} ${noun}${count === 1 ? "" : "s"}`;
}
