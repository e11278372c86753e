/**
 * The head of a run's log document: what the run is and came to, before its lines — flow, run
 * (name and id), state, parameters, result or error (with the first frame of the user's code),
 * what started it (its causal chain, worded as the Flow Runs tooltip words it) and, for a subflow
 * run, its parent run. Pure, so that it is tested without VS Code.
 */
import type { FlowRunRecord } from "../server/tributary-api.js";
import { triggeredBy } from "./run-item-fields.js";
import { shortResult, truncate } from "./run-outcome.js";

/** Characters of a value (parameters, a result) the header shows on its line; Open Result has a whole result. */
const VALUE_CHARS = 400;
const LABEL_WIDTH = 14;

export interface RunLogHeaderInput {
  run: FlowRunRecord;
  /** The run it is a subflow of, when it is one and could be read. */
  parent?: Pick<FlowRunRecord, "id" | "name" | "flowName">;
  /** A failed run's first user frame (`at parseRow (flows/etl.ts:4:28)`), from its log. */
  userFrame?: string;
}

/** The header's lines, ending with a rule that sets it apart from the log lines. */
export function runLogHeader({ run, parent, userFrame }: RunLogHeaderInput): string[] {
  const lines = [row("Flow run", `${run.name} (${run.id})`), row("Flow", run.flowName)];
  const failed = run.state.type === "FAILED" || run.state.type === "CRASHED";
  const message = run.state.message?.split("\n", 1)[0];
  lines.push(row("State", !failed && message ? `${run.state.name}: ${message}` : run.state.name));
  lines.push(row("Parameters", truncate(JSON.stringify(run.parameters), VALUE_CHARS)));
  if (failed && message) {
    lines.push(row("Error", message));
    if (userFrame !== undefined) lines.push(row("", userFrame));
  }
  const result = shortResult(run, VALUE_CHARS);
  if (result !== undefined) lines.push(row("Result", result));
  lines.push(row("Triggered by", triggeredBy(run, (name) => name)));
  if (run.parentFlowRunId !== undefined) lines.push(row("Parent run", parent !== undefined ? `${parent.flowName} · ${parent.name} (${parent.id})` : run.parentFlowRunId));
  return [...lines, "─".repeat(72)];
}

function row(label: string, value: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${value}`;
}
