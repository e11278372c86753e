import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FlowRunQuery, FlowRunRecord, TaskRunRecord, TributaryEvent } from "../server/tributary-api.js";
import { FlowRunsModel, type FlowRunElement, type FlowRunSource, type FlowRunsElement } from "./flow-runs-model.js";

const t = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, seconds)).toISOString();

function run(n: number, overrides: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return {
    id: `run-${String(n).padStart(4, "0")}`,
    name: `name-${n}`,
    flowName: n % 2 === 0 ? "even" : "odd",
    state: { type: "COMPLETED", name: "Completed", timestamp: t(n) },
    parameters: {},
    tags: [],
    runCount: 1,
    createdAt: t(n),
    startTime: t(n),
    ...overrides,
  };
}

function task(id: string, flowRunId: string, start: number, overrides: Partial<TaskRunRecord> = {}): TaskRunRecord {
  return { id, flowRunId, name: id, taskName: "t", state: { type: "RUNNING", name: "Running", timestamp: t(start) }, attempts: 1, tags: [], upstreamTaskRunIds: [], createdAt: t(start), startTime: t(start), ...overrides };
}

/** The server's answers over a list of runs, as GET /api/flow-runs filters them (newest first by id). */
class ListSource implements FlowRunSource {
  readonly queries: FlowRunQuery[] = [];
  constructor(
    private readonly all: FlowRunRecord[],
    private readonly tasks: TaskRunRecord[] = [],
  ) {}
  async listFlowRuns(query: FlowRunQuery): Promise<FlowRunRecord[]> {
    this.queries.push(query);
    let runs = this.all.filter((r) => (query.parentFlowRunId === null ? r.parentFlowRunId === undefined : r.parentFlowRunId === query.parentFlowRunId));
    if (query.flowName !== undefined) runs = runs.filter((r) => r.flowName === query.flowName);
    if (query.state !== undefined) runs = runs.filter((r) => r.state.type === query.state || r.state.name === query.state);
    runs.sort((a, b) => (query.sort === "created-asc" ? a.id.localeCompare(b.id) : b.id.localeCompare(a.id)));
    if (query.before !== undefined) runs = runs.filter((r) => r.id < query.before!);
    return runs.slice(0, query.limit);
  }
  async taskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    return this.tasks.filter((task) => task.flowRunId === flowRunId);
  }
}

const ids = (elements: FlowRunsElement[]) => elements.map((e) => (e.kind === "flowRun" ? e.run.id : e.kind === "taskRun" ? e.task.id : "load-more"));
const flowRunEvent = (record: FlowRunRecord): TributaryEvent => ({ id: `e-${record.id}`, occurred: record.state.timestamp, event: `tributary.flow-run.${record.state.name}`, resource: { id: `tributary.flow-run.${record.id}` }, payload: { flowRun: record, state: record.state } as never });
const taskRunEvent = (record: TaskRunRecord): TributaryEvent => ({ id: `e-${record.id}`, occurred: record.state.timestamp, event: `tributary.task-run.${record.state.name}`, resource: { id: `tributary.task-run.${record.id}` }, payload: { taskRun: record, state: record.state } as never, related: [{ id: `tributary.flow-run.${record.flowRunId}` }] });

describe("FlowRunsModel", () => {
  it("pages top-level runs newest first, with Load more while a page comes back full", async () => {
    const source = new ListSource([1, 2, 3, 4, 5].map((n) => run(n)));
    const model = new FlowRunsModel(() => 2);
    assert.deepEqual(ids(await model.roots(source)), ["run-0005", "run-0004", "load-more"]);
    await model.loadMore(source);
    assert.deepEqual(ids(await model.roots(source)), ["run-0005", "run-0004", "run-0003", "run-0002", "load-more"]);
    assert.equal(source.queries.at(-1)!.before, "run-0004");
    await model.loadMore(source);
    assert.deepEqual(ids(await model.roots(source)), ["run-0005", "run-0004", "run-0003", "run-0002", "run-0001"]);
  });

  it("puts a new top-level run at the top and changes a known run in place, refreshing only it", async () => {
    const source = new ListSource([run(1), run(2)]);
    const model = new FlowRunsModel(() => 50);
    const [second] = (await model.roots(source)) as FlowRunElement[];
    const started = model.apply([flowRunEvent(run(3, { state: { type: "RUNNING", name: "Running", timestamp: t(3) } }))]);
    assert.equal(started.root, true);
    assert.deepEqual(ids(await model.roots(source)), ["run-0003", "run-0002", "run-0001"]);
    const failed = run(2, { state: { type: "FAILED", name: "Failed", timestamp: t(9) } });
    const change = model.apply([flowRunEvent(failed)]);
    assert.equal(change.root, false);
    assert.deepEqual([...change.elements], [second]);
    assert.equal(second!.run.state.name, "Failed", "the same element now carries the new record");
  });

  it("adds task runs and subflow runs to an expanded run in start order; of a run not expanded, only says it has some", async () => {
    const parent = run(1, { state: { type: "RUNNING", name: "Running", timestamp: t(1) } });
    const source = new ListSource([parent, run(2), run(3, { parentFlowRunId: parent.id, startTime: t(30) })], [task("t-a", parent.id, 10)]);
    const model = new FlowRunsModel(() => 50);
    const roots = (await model.roots(source)) as FlowRunElement[];
    const element = roots.find((e) => e.run.id === parent.id)!;
    assert.deepEqual(ids(await model.children(source, element)), ["t-a", "run-0003"]);
    const change = model.apply([taskRunEvent(task("t-b", parent.id, 20)), taskRunEvent(task("t-x", run(2).id, 20))]);
    // Run 2 is not expanded: its row is refreshed once, to offer to expand it, and its children are not kept.
    assert.deepEqual([...change.elements], [element, model.find("run-0002")]);
    assert.equal(model.find("run-0002")!.children, undefined);
    assert.equal(model.apply([taskRunEvent(task("t-y", run(2).id, 21))]).elements.size, 0);
    assert.deepEqual(ids(element.children!), ["t-a", "t-b", "run-0003"]);
    const finished = model.apply([taskRunEvent(task("t-a", parent.id, 10, { state: { type: "COMPLETED", name: "Completed", timestamp: t(12) }, attempts: 2 }))]);
    const updated = [...finished.elements];
    assert.equal(updated.length, 1);
    assert.equal(updated[0]!.kind === "taskRun" && updated[0].task.attempts, 2);
  });

  it("keeps a filter: loads only matching runs and lets only matching new runs in", async () => {
    const source = new ListSource([1, 2, 3, 4].map((n) => run(n)));
    const model = new FlowRunsModel(() => 50);
    model.setFilter({ flowName: "even" });
    assert.equal(model.isFiltered, true);
    assert.deepEqual(ids(await model.roots(source)), ["run-0004", "run-0002"]);
    assert.equal(model.apply([flowRunEvent(run(5))]).root, false, "an odd run stays out");
    assert.equal(model.apply([flowRunEvent(run(6))]).root, true);
    assert.deepEqual(ids(await model.roots(source)), ["run-0006", "run-0004", "run-0002"]);
    assert.deepEqual(model.flowNamesSeen(), ["even", "odd"]);
  });

  it("drops a page that arrives after a reset", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: FlowRunSource = { listFlowRuns: async () => (await gate, [run(1)]), taskRuns: async () => [] };
    const model = new FlowRunsModel(() => 50);
    const stale = model.roots(slow);
    model.setFilter({ state: "FAILED" });
    release();
    await stale;
    assert.equal(model.isLoaded, false, "the old page did not count as loaded under the new filter");
  });

  it("knows which runs have children before they are expanded: from the list, and from the stream for a run seen being made", async () => {
    const listed = [run(1, { hasChildren: false } as Partial<FlowRunRecord>), run(2, { hasChildren: true } as Partial<FlowRunRecord>)];
    const source = new ListSource(listed);
    const model = new FlowRunsModel(() => 50);
    await model.roots(source);
    assert.equal(source.queries[0]!.withChildren, true, "the page asks the server which runs have children");
    assert.equal(model.find("run-0001")!.hasChildren, false);
    assert.equal(model.find("run-0002")!.hasChildren, true);

    const made = run(3, { state: { type: "PENDING", name: "Pending", timestamp: t(3) } });
    model.apply([flowRunEvent(made)]);
    assert.equal(model.find("run-0003")!.hasChildren, false, "a run seen as it is made has no children yet");
    const change = model.apply([flowRunEvent({ ...made, state: { type: "RUNNING", name: "Running", timestamp: t(4) } }), taskRunEvent(task("t1", "run-0003", 4))]);
    assert.equal(model.find("run-0003")!.hasChildren, true, "its first task run makes it expandable");
    assert.ok(change.elements.has(model.find("run-0003")!), "and its row is refreshed");

    const running = run(5, { state: { type: "RUNNING", name: "Running", timestamp: t(5) } });
    model.apply([flowRunEvent(running)]);
    assert.equal(model.find("run-0005")!.hasChildren, undefined, "a run first seen later in its life may have children already");
    model.apply([flowRunEvent(run(6, { parentFlowRunId: "run-0005" }))]);
    assert.equal(model.find("run-0005")!.hasChildren, true, "a subflow run makes its parent expandable");
  });
});
