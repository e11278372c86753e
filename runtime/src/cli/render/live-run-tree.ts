/**
 * The runs of one `tributary run` as its events arrive: the latest record of every flow run and
 * task run, who is whose child, and which events changed a state (those are what progress shows).
 */
import type { RunEvent } from "../../engine/run-events.js";
import type { FlowRunRecord, TaskRunRecord } from "../../store/records.js";
import { stateJson } from "../flow-run-json.js";
import { inStartOrder, type RunTreeNode } from "./run-tree.js";

export class LiveRunTree {
  private readonly flowRuns = new Map<string, FlowRunRecord>();
  private readonly taskRuns = new Map<string, TaskRunRecord>();
  /** Child ids of each flow run, in the order they appeared. */
  private readonly children = new Map<string, { kind: "flow-run" | "task-run"; id: string }[]>();

  constructor(readonly rootId: string) {}

  /** Records the event; returns true when it is a run entering a new state. */
  apply(event: RunEvent): boolean {
    if (event.kind === "log") return false;
    if (event.kind === "flow-run") {
      const previous = this.flowRuns.get(event.run.id);
      this.flowRuns.set(event.run.id, event.run);
      if (!previous && event.run.parentFlowRunId !== undefined) this.addChild(event.run.parentFlowRunId, "flow-run", event.run.id);
      return !previous || stateChanged(previous.state, event.run.state);
    }
    const previous = this.taskRuns.get(event.run.id);
    this.taskRuns.set(event.run.id, event.run);
    if (!previous) this.addChild(event.run.flowRunId, "task-run", event.run.id);
    return !previous || stateChanged(previous.state, event.run.state);
  }

  /**
   * `flow-run crimson-otter` or `task-run extract-0`, for the run a log line or event belongs to.
   * A task run of a subflow is named with its flow run (`task-run brave-heron/extract-0`), since
   * task run names repeat from one flow run to the next.
   */
  label(flowRunId: string, taskRunId?: string): string {
    const flowRunName = this.flowRuns.get(flowRunId)?.name ?? flowRunId.slice(0, 8);
    if (taskRunId === undefined) return `flow-run ${flowRunName}`;
    const taskRunName = this.taskRuns.get(taskRunId)?.name ?? taskRunId.slice(0, 8);
    return flowRunId === this.rootId ? `task-run ${taskRunName}` : `task-run ${flowRunName}/${taskRunName}`;
  }

  /** The tree of the root run, or of another flow run it has seen (a run the root caused). */
  tree(flowRunId = this.rootId): RunTreeNode | undefined {
    return this.flowNode(flowRunId);
  }

  private flowNode(id: string): RunTreeNode | undefined {
    const run = this.flowRuns.get(id);
    if (!run) return undefined;
    const children: RunTreeNode[] = [];
    for (const child of this.children.get(id) ?? []) {
      const node = child.kind === "flow-run" ? this.flowNode(child.id) : this.taskNode(child.id);
      if (node) children.push(node);
    }
    return {
      kind: "flow-run",
      id,
      name: run.name,
      definitionName: run.flowName,
      state: stateJson(run.state),
      startTime: run.startTime ?? null,
      endTime: run.endTime ?? null,
      children: inStartOrder(children),
    };
  }

  private taskNode(id: string): RunTreeNode | undefined {
    const run = this.taskRuns.get(id);
    if (!run) return undefined;
    return {
      kind: "task-run",
      id,
      name: run.name,
      definitionName: run.taskName,
      state: stateJson(run.state),
      startTime: run.startTime ?? null,
      endTime: run.endTime ?? null,
      children: [],
    };
  }

  private addChild(parentId: string, kind: "flow-run" | "task-run", id: string): void {
    let list = this.children.get(parentId);
    if (!list) this.children.set(parentId, (list = []));
    list.push({ kind, id });
  }
}

function stateChanged(a: { name: string; timestamp: string }, b: { name: string; timestamp: string }): boolean {
  return a.name !== b.name || a.timestamp !== b.timestamp;
}
