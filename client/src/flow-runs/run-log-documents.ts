/**
 * "Show Logs": a run's log as a read-only virtual document (`tributary-log:` scheme, language
 * `tributary-log` through the `.tributary-log` ending) that follows the run live. It starts from
 * GET /api/flow-runs/{id}/logs, then appends the `tributary.log` lines the stream carries for the
 * run, and on each state change of the run or of its task runs writes a state line and re-reads
 * the logs after the last id it has (in case a log event was missed). Lines are deduplicated by
 * their stored id, and a streamed line (which has none) by its time, task run and message.
 * The document opens with a header (run-log-header.ts) kept up to date with the run's state, and
 * stack traces in it are folded to the user's frames as the CLI folds them (fold-stack-trace.ts).
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { FlowRunRecord, StoredLogRecord, TaskRunRecord, TributaryEvent } from "../server/tributary-api.js";
import type { LogEventPayload } from "../../../runtime/src/orchestrator/contract.js";
import { foldStackTrace, type FoldOptions } from "../../../runtime/src/cli/render/fold-stack-trace.js";
import { formatLogLine, formatStateLine, logSource } from "./log-lines.js";
import { runLogHeader } from "./run-log-header.js";
import { firstUserFrame } from "./run-outcome.js";

export const LOG_SCHEME = "tributary-log";
const COALESCE_MS = 100;

interface Follower {
  runId: string;
  runName: string;
  /** The run as last seen, for the header; undefined until loaded. */
  run: FlowRunRecord | undefined;
  parent: Pick<FlowRunRecord, "id" | "name" | "flowName"> | undefined;
  /** The last error line with stack frames: a failed run's first user frame is read from it. */
  stack: string | undefined;
  lines: string[];
  seen: Set<number>;
  /** Lines shown, by {@link lineKey}: a streamed line has no stored id yet, so a re-read matches it by this. */
  shown: Set<string>;
  lastId: number;
  taskNames: Map<string, string>;
  loading: Promise<void> | undefined;
  /** Another read-after is wanted once the current one ends. */
  again: boolean;
}

export class RunLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly followers = new Map<string, Follower>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this),
      this.changeEmitter,
      ctx.orchestration.onEvent((event) => this.onEvent(event)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === LOG_SCHEME) this.followers.delete(document.uri.toString());
      }),
    );
  }

  /** The document of a run's log: `tributary-log:/<run id>/<flow> <run name>.tributary-log`. */
  static uriFor(run: Pick<FlowRunRecord, "id" | "flowName" | "name">): vscode.Uri {
    const title = `${run.flowName} ${run.name}`.replace(/[/\\?#]/g, "-");
    return vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${run.id}/${title}.tributary-log` });
  }

  async open(run: FlowRunRecord): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(RunLogDocuments.uriFor(run));
    if (document.languageId !== "tributary-log") await vscode.languages.setTextDocumentLanguage(document, "tributary-log");
    return vscode.window.showTextDocument(document, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    let follower = this.followers.get(key);
    if (!follower) {
      const runId = uri.path.split("/")[1] ?? "";
      follower = { runId, runName: runId.slice(0, 8), run: undefined, parent: undefined, stack: undefined, lines: [], seen: new Set(), shown: new Set(), lastId: 0, taskNames: new Map(), loading: undefined, again: false };
      this.followers.set(key, follower);
      try {
        await this.load(follower);
      } catch (error) {
        this.followers.delete(key);
        return `The log of flow run ${runId} could not be read: ${(error as Error).message}\n`;
      }
    }
    const body = follower.lines.length > 0 ? follower.lines : [`Flow run ${follower.runName} has no log lines yet; this document follows it.`];
    return `${[...this.header(follower), ...body].join("\n")}\n`;
  }

  private header(follower: Follower): string[] {
    if (follower.run === undefined) return [];
    const failed = follower.run.state.type === "FAILED" || follower.run.state.type === "CRASHED";
    const userFrame = failed && follower.stack !== undefined ? firstUserFrame(follower.stack, this.foldOptions(follower)) : undefined;
    return runLogHeader({ run: follower.run, ...(follower.parent ? { parent: follower.parent } : {}), ...(userFrame !== undefined ? { userFrame } : {}) });
  }

  /** Frames of the workspace's files are the user's; the extension's bundled runtime is tributaryjs, as node_modules/tributaryjs is. */
  private foldOptions(follower: Follower): FoldOptions {
    return {
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(),
      tributaryRoots: [this.ctx.extension.extensionUri.fsPath],
      showsAll: `tributary flow-run logs ${follower.runId} --verbose`,
    };
  }

  private async load(follower: Follower): Promise<void> {
    const api = await this.ctx.orchestration.require();
    const [run, tasks, logs] = await Promise.all([api.getFlowRun(follower.runId), api.taskRuns(follower.runId), api.logs(follower.runId)]);
    follower.runName = run.name;
    follower.run = run;
    if (run.parentFlowRunId !== undefined) follower.parent = await api.getFlowRun(run.parentFlowRunId).catch(() => undefined);
    for (const task of tasks) follower.taskNames.set(task.id, task.name);
    const who = logSource("flow-run", run.name, run.id);
    // The record gives the start and the end; the stream gives every change after this point.
    const entries: { at: string; line: string }[] = [];
    if (run.startTime !== undefined) entries.push({ at: run.startTime, line: formatStateLine({ type: "RUNNING", name: "Running", timestamp: run.startTime }, who) });
    if (run.state.type !== "RUNNING" || run.startTime === undefined) entries.push({ at: run.state.timestamp, line: formatStateLine(run.state, who) });
    for (const log of logs) {
      follower.seen.add(log.id);
      follower.shown.add(lineKey(log));
      follower.lastId = Math.max(follower.lastId, log.id);
      entries.push({ at: log.timestamp, line: this.logLine(follower, log) });
    }
    entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    follower.lines.push(...entries.map((entry) => entry.line));
  }

  private onEvent(event: TributaryEvent): void {
    if (this.followers.size === 0) return;
    if (event.event === "tributary.log") {
      const log = event.payload as unknown as LogEventPayload;
      for (const [key, follower] of this.followers) {
        if (log.flowRunId !== follower.runId || follower.shown.has(lineKey(log))) continue;
        follower.shown.add(lineKey(log));
        follower.lines.push(this.logLine(follower, log));
        this.changed(key);
      }
      return;
    }
    const flowRun = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
    const taskRun = (event.payload as { taskRun?: TaskRunRecord }).taskRun;
    for (const [key, follower] of this.followers) {
      if (event.event.startsWith("tributary.flow-run.") && flowRun?.id === follower.runId) {
        follower.run = flowRun;
        follower.lines.push(formatStateLine(flowRun.state, logSource("flow-run", flowRun.name, flowRun.id)));
      } else if (event.event.startsWith("tributary.task-run.") && taskRun?.flowRunId === follower.runId) {
        follower.taskNames.set(taskRun.id, taskRun.name);
        follower.lines.push(formatStateLine(taskRun.state, logSource("task-run", taskRun.name, taskRun.id)));
      } else continue;
      this.changed(key);
      this.readAfter(key, follower);
    }
  }

  /** Fallback for log events the stream did not bring: re-reads after the last id, one read at a time. */
  private readAfter(key: string, follower: Follower): void {
    if (follower.loading) {
      follower.again = true;
      return;
    }
    const api = this.ctx.orchestration.api;
    if (!api) return;
    follower.loading = api
      .logs(follower.runId, follower.lastId)
      .then((logs) => {
        for (const log of logs) {
          if (follower.seen.has(log.id)) continue;
          follower.seen.add(log.id);
          follower.lastId = Math.max(follower.lastId, log.id);
          if (follower.shown.has(lineKey(log))) continue; // already shown from the stream
          follower.shown.add(lineKey(log));
          follower.lines.push(this.logLine(follower, log));
          this.changed(key);
        }
      })
      .catch((error: unknown) => this.ctx.log.warn(`Log of ${follower.runName}: ${(error as Error).message}`))
      .finally(() => {
        follower.loading = undefined;
        if (follower.again) {
          follower.again = false;
          this.readAfter(key, follower);
        }
      });
  }

  private logLine(follower: Follower, log: Pick<StoredLogRecord, "taskRunId" | "timestamp" | "level" | "message">): string {
    if (log.level === "error" && /\n\s+at /.test(log.message)) follower.stack = log.message;
    const who =
      log.taskRunId !== undefined && log.taskRunId !== null
        ? logSource("task-run", follower.taskNames.get(log.taskRunId), log.taskRunId)
        : logSource("flow-run", follower.runName, follower.runId);
    return formatLogLine({ ...log, message: foldStackTrace(log.message, this.foldOptions(follower)) }, who);
  }

  private changed(key: string): void {
    this.pending.add(key);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const uri of this.pending) this.changeEmitter.fire(vscode.Uri.parse(uri));
      this.pending.clear();
    }, COALESCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** A log line's identity without its stored id: the stream's lines have none (contract.ts LogEventPayload). */
function lineKey(log: Pick<StoredLogRecord, "taskRunId" | "timestamp" | "message">): string {
  return `${log.timestamp}\u0000${log.taskRunId ?? ""}\u0000${log.message}`;
}
