/**
 * For server tests: a throwaway workspace (a copy of test-fixtures/server), its SQLite store, a
 * server started in this process on an OS-chosen loopback port with the built worker, a JSON
 * client for its API and a WebSocket subscriber to wait on events — never on time.
 */
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqliteStore, type SqliteStore } from "../../store/sqlite-store.js";
import { removeWorkspace } from "../../test-support/remove-workspace.js";
import type { TributaryEvent } from "../contract.js";
import { EventStreamClient } from "./event-stream-client.js";
import { startServer, type RunningServer, type StartServerOptions } from "../start-server.js";

export const repoRoot = path.resolve(__dirname, "../../../..");
export const builtWorker = {
  runnerFile: path.join(repoRoot, "runtime/dist/cli/run-child.js"),
  runtimeLibrary: path.join(repoRoot, "runtime/dist/index.js"),
};

export class ServerWorkspace {
  readonly dir: string;
  readonly dbPath: string;

  constructor() {
    if (!existsSync(builtWorker.runnerFile)) throw new Error("Build first: npm run build");
    this.dir = mkdtempSync(path.join(os.tmpdir(), "tributary-server-test-"));
    cpSync(path.join(repoRoot, "test-fixtures/server"), this.dir, { recursive: true });
    this.dbPath = path.join(this.dir, ".tributary", "tributary.db");
  }

  async start(options: Partial<StartServerOptions> = {}): Promise<TestServer> {
    const store = options.store ? (options.store as SqliteStore) : openSqliteStore(this.dbPath);
    const server = await startServer({ port: 0, worker: builtWorker, log: () => undefined, workDirs: [this.dir], ...options, store });
    return new TestServer(server, store, this.dir);
  }

  /**
   * Removes the workspace once no process uses it (remove-workspace.ts): close the servers first;
   * a run's child or a spare runner that outlived its server (SIGKILLed) is waited for.
   */
  dispose(): Promise<void> {
    return removeWorkspace(this.dir);
  }
}

/** A deployment of a flow of `deployed-flows.ts` (test-fixtures/server) in `workDir`, as POST /api/deployments takes it. */
export function fixtureDeployment(workDir: string, name: string, exportName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, flowName: name.split("/")[0], entrypoint: `deployed-flows.ts:${exportName}`, workDir, ...extra };
}

export class TestServer {
  /** The server's event stream, once subscribe() opened it. */
  readonly stream = new EventStreamClient();

  constructor(
    readonly server: RunningServer,
    readonly store: SqliteStore,
    readonly workDir: string,
  ) {}

  get token(): string {
    return this.server.token;
  }

  get url(): string {
    return this.server.url;
  }

  /** Calls the API; resolves to the status and the parsed body. */
  async api<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Every event received since subscribe(). */
  get events(): readonly TributaryEvent[] {
    return this.stream.events;
  }

  /** Opens the event stream; events from now on are collected. */
  subscribe(): Promise<void> {
    return this.stream.open(this.url, this.token);
  }

  /** The first event (already received or still to come) that `predicate` accepts. */
  waitForEvent(predicate: (e: TributaryEvent) => boolean): Promise<TributaryEvent> {
    return this.stream.waitFor(predicate);
  }

  /** The event of a flow run entering `state`. */
  waitForRunState(flowRunId: string, state: string): Promise<TributaryEvent> {
    return this.waitForEvent((e) => e.resource.id === `tributary.flow-run.${flowRunId}` && e.event === `tributary.flow-run.${state}`);
  }

  /** Registers deployments of `deployed-flows.ts`; resolves with each one's status (created, updated, unchanged). */
  async register(deployments: { name: string; export: string; [key: string]: unknown }[]): Promise<{ name: string; status: string }[]> {
    const body = deployments.map(({ export: exportName, ...rest }) => ({
      flowName: rest.name.split("/")[0],
      entrypoint: `deployed-flows.ts:${exportName}`,
      workDir: this.workDir,
      ...rest,
    }));
    const response = await this.api("POST", "/api/deployments", { deployments: body });
    if (response.status !== 200) throw new Error(`register: ${JSON.stringify(response.body)}`);
    return (response.body as { results: { name: string; status: string }[] }).results;
  }

  async close(closeStore = true): Promise<void> {
    this.stream.close();
    await this.server.close();
    if (closeStore) await this.store.close();
  }
}
