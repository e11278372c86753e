/**
 * A flow run with its task runs and subflow runs as one tree, the shape both the live progress
 * view and the final summary draw. Built from the run JSON (after the run) or from run events.
 */
import type { StateJson, FlowRunJson } from "../flow-run-json.js";

export interface RunTreeNode {
  kind: "flow-run" | "task-run";
  id: string;
  /** The run's name (`crimson-otter`, `extract-0`). */
  name: string;
  /** The flow's or task's name. */
  definitionName: string;
  state: StateJson;
  startTime: string | null;
  endTime: string | null;
  children: RunTreeNode[];
}

export function treeFromFlowRunJson(run: FlowRunJson): RunTreeNode {
  const children: RunTreeNode[] = [
    ...run.taskRuns.map((task) => ({
      kind: "task-run" as const,
      id: task.id,
      name: task.name,
      definitionName: task.taskName,
      state: task.state,
      startTime: task.startTime,
      endTime: task.endTime,
      children: [],
    })),
    ...run.subflowRuns.map(treeFromFlowRunJson),
  ];
  return {
    kind: "flow-run",
    id: run.id,
    name: run.name,
    definitionName: run.flowName,
    state: run.state,
    startTime: run.startTime,
    endTime: run.endTime,
    children: inStartOrder(children),
  };
}

/** Children ordered by start time; those that never started keep their order, after the rest. */
export function inStartOrder(nodes: RunTreeNode[]): RunTreeNode[] {
  return nodes
    .map((node, index) => ({ node, index }))
    .sort((a, b) => {
      const sa = a.node.startTime;
      const sb = b.node.startTime;
      if (sa && sb && sa !== sb) return sa < sb ? -1 : 1;
      if (sa && !sb) return -1;
      if (!sa && sb) return 1;
      return a.index - b.index;
    })
    .map(({ node }) => node);
}
