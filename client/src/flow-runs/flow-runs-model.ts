/**
 * What the Flow Runs view holds, apart from VS Code: the loaded pages of top-level runs (newest
 * first), the children (task runs and subflow runs) of runs that were expanded, the filter, and how
 * a batch of stream events changes them. Elements are kept by id and changed in place, so that the
 * tree can refresh one element rather than the whole view.
 */
import { LISTED_RESULT_CHARS } from "./run-outcome.js";
import type { FlowRunQuery, FlowRunRecord, TaskRunRecord, TributaryEvent } from "../server/tributary-api.js";

export interface FlowRunElement {
  kind: "flowRun";
  /** The run as last seen (commands read `arg.run.id`). */
  run: FlowRunRecord;
  parent: FlowRunElement | undefined;
  /** Task runs and subflow runs in start order, once loaded (the run was expanded). */
  children?: RunChildElement[];
  /**
   * Whether the run has task runs or subflow runs, before they are loaded: as the server listed it,
   * false for a run first seen being made, true once the stream shows a child; undefined when unknown.
   */
  hasChildren?: boolean;
}

export interface TaskRunElement {
  kind: "taskRun";
  task: TaskRunRecord;
  parent: FlowRunElement;
}

export interface LoadMoreElement {
  kind: "loadMore";
}

export type RunChildElement = FlowRunElement | TaskRunElement;
export type FlowRunsElement = FlowRunElement | TaskRunElement | LoadMoreElement;

export interface FlowRunsFilter {
  flowName?: string;
  /** A state type (`FAILED`) or name (`Late`). */
  state?: string;
}

/** The part of the API the model reads. */
export interface FlowRunSource {
  listFlowRuns(query: FlowRunQuery): Promise<FlowRunRecord[]>;
  taskRuns(flowRunId: string): Promise<TaskRunRecord[]>;
}

/** What a batch of events changed: the whole list, and/or single elements (refresh each). */
export interface ModelChange {
  root: boolean;
  elements: Set<FlowRunsElement>;
}

const LOAD_MORE: LoadMoreElement = { kind: "loadMore" };
/** Children of one run fetched at once; a fan-out beyond this shows the first ones. */
const MAX_CHILDREN = 5000;

export class FlowRunsModel {
  private topLevel: FlowRunElement[] = [];
  private hasMore = false;
  private loaded = false;
  private readonly runs = new Map<string, FlowRunElement>();
  private readonly tasks = new Map<string, TaskRunElement>();
  private readonly flowNames = new Set<string>();
  private filterValue: FlowRunsFilter = {};
  /** Bumped on every reset, so that a page that arrives after a reset is dropped. */
  private generation = 0;

  constructor(private readonly pageSize: () => number) {}

  get filter(): FlowRunsFilter {
    return this.filterValue;
  }

  get isFiltered(): boolean {
    return this.filterValue.flowName !== undefined || this.filterValue.state !== undefined;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Sets the filter and forgets what was loaded. */
  setFilter(filter: FlowRunsFilter): void {
    this.filterValue = { ...filter };
    this.reset();
  }

  /** Forgets every loaded run: the next {@link roots} call loads the first page again. */
  reset(): void {
    this.generation++;
    this.topLevel = [];
    this.hasMore = false;
    this.loaded = false;
    this.runs.clear();
    this.tasks.clear();
  }

  /** The top-level elements, loading the first page when nothing is loaded. */
  async roots(source: FlowRunSource): Promise<FlowRunsElement[]> {
    if (!this.loaded) await this.loadPage(source, undefined);
    return this.hasMore ? [...this.topLevel, LOAD_MORE] : [...this.topLevel];
  }

  /** Loads the page after the last top-level run. */
  async loadMore(source: FlowRunSource): Promise<void> {
    if (!this.loaded) return this.loadPage(source, undefined);
    if (this.hasMore) await this.loadPage(source, this.topLevel.at(-1)?.run.id);
  }

  async children(source: FlowRunSource, element: FlowRunElement): Promise<RunChildElement[]> {
    if (element.children) return element.children;
    const [tasks, subflows] = await Promise.all([
      source.taskRuns(element.run.id),
      source.listFlowRuns({ parentFlowRunId: element.run.id, limit: MAX_CHILDREN, sort: "created-asc", resultChars: LISTED_RESULT_CHARS, withChildren: true }),
    ]);
    if (element.children) return element.children; // an event filled them meanwhile
    const children: RunChildElement[] = [];
    for (const task of tasks) children.push(this.taskElement(task, element));
    for (const run of subflows) children.push(this.runElement(run, element));
    element.children = sortByStart(children);
    return element.children;
  }

  /** The loaded top-level runs, newest first. */
  topLevelRuns(): readonly FlowRunElement[] {
    return this.topLevel;
  }

  find(flowRunId: string): FlowRunElement | undefined {
    return this.runs.get(flowRunId);
  }

  /** Flow names of every run seen, sorted: the choices of "filter by flow". */
  flowNamesSeen(): string[] {
    return [...this.flowNames].sort();
  }

  /** Applies stream events (flow-run and task-run state changes); answers what to refresh. */
  apply(events: readonly TributaryEvent[]): ModelChange {
    const change: ModelChange = { root: false, elements: new Set() };
    for (const event of events) {
      const flowRun = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
      const taskRun = (event.payload as { taskRun?: TaskRunRecord }).taskRun;
      if (event.event.startsWith("tributary.flow-run.") && isRecord(flowRun)) this.applyFlowRun(flowRun, change);
      else if (event.event.startsWith("tributary.task-run.") && isRecord(taskRun)) this.applyTaskRun(taskRun, change);
    }
    // A refreshed root refreshes everything: single elements need no refresh then.
    if (change.root) change.elements.clear();
    return change;
  }

  private applyFlowRun(run: FlowRunRecord, change: ModelChange): void {
    this.flowNames.add(run.flowName);
    const known = this.runs.get(run.id);
    if (known) {
      const moved = startKey(known) !== startKey({ kind: "flowRun", run, parent: undefined });
      known.run = run;
      change.elements.add(known);
      if (moved) this.resort(known.parent, change);
      return;
    }
    if (run.parentFlowRunId === undefined) {
      if (!this.loaded || !this.matches(run)) return;
      const last = this.topLevel.at(-1);
      // Older than everything loaded while more pages exist: it comes with a later page.
      if (this.hasMore && last !== undefined && run.id < last.run.id) return;
      const element = this.runElement(run, undefined);
      // Seen as it is made: it has no children yet, and the stream will show any it gets.
      if (run.state.type === "SCHEDULED" || run.state.type === "PENDING") element.hasChildren = false;
      this.topLevel.push(element);
      this.topLevel.sort((a, b) => (a.run.id < b.run.id ? 1 : a.run.id > b.run.id ? -1 : 0));
      change.root = true;
      return;
    }
    const parent = this.runs.get(run.parentFlowRunId);
    if (parent?.children) {
      const element = this.runElement(run, parent);
      if (run.state.type === "SCHEDULED" || run.state.type === "PENDING") element.hasChildren = false;
      parent.children = sortByStart([...parent.children, element]);
      change.elements.add(parent);
    } else if (parent) this.gotChild(parent, change);
  }

  /** A child of `parent` showed on the stream before its children were loaded: it can be expanded now. */
  private gotChild(parent: FlowRunElement, change: ModelChange): void {
    if (parent.hasChildren === true) return;
    parent.hasChildren = true;
    change.elements.add(parent);
  }

  private applyTaskRun(task: TaskRunRecord, change: ModelChange): void {
    const known = this.tasks.get(task.id);
    if (known) {
      const moved = startKey(known) !== (task.startTime ?? task.createdAt);
      known.task = task;
      change.elements.add(known);
      if (moved) this.resort(known.parent, change);
      return;
    }
    const parent = this.runs.get(task.flowRunId);
    if (parent?.children) {
      parent.children = sortByStart([...parent.children, this.taskElement(task, parent)]);
      change.elements.add(parent);
    } else if (parent) this.gotChild(parent, change);
  }

  /** A child started: its place among its siblings may change. */
  private resort(parent: FlowRunElement | undefined, change: ModelChange): void {
    if (!parent?.children) return;
    parent.children = sortByStart([...parent.children]);
    change.elements.add(parent);
  }

  private async loadPage(source: FlowRunSource, before: string | undefined): Promise<void> {
    const generation = this.generation;
    const size = this.pageSize();
    const page = await source.listFlowRuns({
      parentFlowRunId: null,
      limit: size,
      resultChars: LISTED_RESULT_CHARS,
      withChildren: true,
      ...(before !== undefined ? { before } : {}),
      ...(this.filterValue.flowName !== undefined ? { flowName: this.filterValue.flowName } : {}),
      ...(this.filterValue.state !== undefined ? { state: this.filterValue.state } : {}),
    });
    if (generation !== this.generation) return;
    for (const run of page) {
      if (this.runs.has(run.id)) continue; // arrived live before its page
      this.topLevel.push(this.runElement(run, undefined));
    }
    this.hasMore = page.length === size;
    this.loaded = true;
  }

  private matches(run: FlowRunRecord): boolean {
    const { flowName, state } = this.filterValue;
    if (flowName !== undefined && run.flowName !== flowName) return false;
    if (state !== undefined && run.state.type !== state && run.state.name !== state) return false;
    return true;
  }

  private runElement(run: FlowRunRecord, parent: FlowRunElement | undefined): FlowRunElement {
    this.flowNames.add(run.flowName);
    const element: FlowRunElement = { kind: "flowRun", run, parent };
    if (run.hasChildren !== undefined) element.hasChildren = run.hasChildren;
    this.runs.set(run.id, element);
    return element;
  }

  private taskElement(task: TaskRunRecord, parent: FlowRunElement): TaskRunElement {
    const element: TaskRunElement = { kind: "taskRun", task, parent };
    this.tasks.set(task.id, element);
    return element;
  }
}

/** Start order: by start time, else creation time (a run not started yet sorts by when it was made). */
function sortByStart(children: RunChildElement[]): RunChildElement[] {
  return children.sort((a, b) => (startKey(a) < startKey(b) ? -1 : startKey(a) > startKey(b) ? 1 : 0));
}

function startKey(child: RunChildElement): string {
  const record = child.kind === "flowRun" ? child.run : child.task;
  return record.startTime ?? record.createdAt;
}

function isRecord(value: unknown): value is { id: string } & Record<string, unknown> {
  return typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string";
}
