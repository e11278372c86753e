import assert from "node:assert/strict";
import { test } from "node:test";
import type { FlowRunRecord, TaskRunRecord } from "../../../runtime/src/store/records.js";
import { eventTouchesRun, formatDuration, toRunGraph } from "./run-graph-model.js";
import { renderRunSvg } from "./run-graph-svg.js";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function flowRun(id: string, type: string, name: string, extra: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return { id, name: `${id}-name`, flowName: `${id}-flow`, state: { type, name, timestamp: t(0) } as FlowRunRecord["state"], parameters: {}, tags: [], runCount: 1, createdAt: t(0), ...extra };
}

function taskRun(id: string, type: string, name: string, upstream: string[] = [], extra: Partial<TaskRunRecord> = {}): TaskRunRecord {
  return { id, flowRunId: "run", name: `${id}-1`, taskName: id, state: { type, name, timestamp: t(0) } as TaskRunRecord["state"], attempts: 1, tags: [], upstreamTaskRunIds: upstream, createdAt: t(0), ...extra };
}

test("a run graph: task runs and subflow runs by state, edges from upstream task runs and the calling task run", () => {
  const graph = toRunGraph(
    {
      run: flowRun("run", "FAILED", "Failed"),
      taskRuns: [
        taskRun("extract", "COMPLETED", "Completed", [], { startTime: t(1), endTime: t(3) }),
        taskRun("transform", "FAILED", "Failed", ["extract", "extract"], { startTime: t(3), endTime: t(4) }),
        taskRun("load", "PENDING", "NotReady", ["transform", "gone"], { startTime: t(5) }),
        taskRun("part", "COMPLETED", "Cached", [], { mapIndex: 2, startTime: t(2), endTime: t(2) }),
      ],
      subflowRuns: [flowRun("child", "RUNNING", "Running", { parentFlowRunId: "run", parentTaskRunId: "extract", startTime: t(2) })],
    },
    new Date(t(10)),
  );
  assert.equal(graph.title, "run-flow (run-name)");
  assert.equal(graph.stateClass, "failed");
  assert.deepEqual(graph.nodes.map((n) => [n.id, n.label, n.stateClass, n.detail]), [
    ["task:extract", "extract-1", "completed", "Completed · 2.0s"],
    ["task:part", "part[2]", "completed", "Cached · 0ms"],
    ["task:transform", "transform-1", "failed", "Failed · 1.0s"],
    ["task:load", "load-1", "pending", "NotReady · 5.0s"],
    ["flow:child", "child-flow (child-name)", "running", "Running · 8.0s"],
  ]);
  assert.deepEqual(graph.edges.map((e) => `${e.from} → ${e.to}`), ["task:extract → task:transform", "task:transform → task:load", "task:extract → flow:child"]);

  const { svg } = renderRunSvg(graph, "task:transform");
  assert.equal(svg.match(/class="node run-node/g)?.length, 5);
  assert.match(svg, /class="node run-node run-task state-failed selected" data-id="task:transform"/);
  assert.equal(svg.match(/<path class="edge edge-run"/g)?.length, 3);
});

test("which stream events concern a run", () => {
  const flowEvent = (run: Partial<FlowRunRecord>) => ({ event: "tributary.flow-run.Completed", payload: { flowRun: run } });
  assert.equal(eventTouchesRun(flowEvent({ id: "run" }), "run"), true);
  assert.equal(eventTouchesRun(flowEvent({ id: "child", parentFlowRunId: "run" }), "run"), true);
  assert.equal(eventTouchesRun(flowEvent({ id: "other" }), "run"), false);
  assert.equal(eventTouchesRun({ event: "tributary.task-run.Running", payload: { taskRun: { flowRunId: "run" } } }, "run"), true);
  assert.equal(eventTouchesRun({ event: "tributary.task-run.Running", payload: {}, related: [{ id: "tributary.flow-run.run" }] }, "run"), true);
  assert.equal(eventTouchesRun({ event: "tributary.task-run.Running", payload: { taskRun: { flowRunId: "else" } } }, "run"), false);
  assert.equal(eventTouchesRun({ event: "tributary.log", payload: { flowRunId: "run" } }, "run"), false);
});

test("durations read short", () => {
  assert.deepEqual([formatDuration(850), formatDuration(1234), formatDuration(185_000), formatDuration(7_440_000)], ["850ms", "1.2s", "3m 05s", "2h 04m"]);
});

test("a run without task runs or subflow runs: a live one may still get some, a finished one says it ended without", () => {
  const live = toRunGraph({ run: flowRun("run", "RUNNING", "Running"), taskRuns: [], subflowRuns: [] });
  assert.equal(live.emptyText, "This run has no task runs or subflow runs yet.");
  const ended = toRunGraph({ run: flowRun("run", "COMPLETED", "Completed"), taskRuns: [], subflowRuns: [] });
  assert.equal(ended.emptyText, "This run ended Completed without task runs or subflow runs.");
  assert.doesNotMatch(ended.emptyText, /yet/);
});
