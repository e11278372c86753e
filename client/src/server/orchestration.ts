/**
 * The extension's link to an orchestration server: the one at `tributary.serverUrl`, or, when that
 * is empty, a local server for the workspace (`tributary server start --port 0` from the CLI of the
 * folder's own tributaryjs, else the bundled one, in a child process on the workspace's `.tributary/` store, stopped with the extension).
 * Nothing starts in an untrusted workspace: the server's worker executes workspace code.
 *
 * Holds the {@link TributaryApi} and one live event stream (WebSocket, reconnected with backoff),
 * and keeps the context key `tributary.server.state` (`connecting` | `connected` | `unreachable` |
 * `restricted` | `idle`) for welcome content and menus.
 */
import type { ChildProcess } from "node:child_process";
import { newServerToken, readServerFile, serverFilePath } from "../../../runtime/src/orchestrator/server-file.js";
import { resolveStorePath } from "../../../runtime/src/store/store-path.js";
import * as vscode from "vscode";
import WebSocket from "ws";
import type { Ctx } from "../ctx.js";
import { spawnOnRuntime } from "../run/spawn-on-runtime.js";
import { TributaryApi, type TributaryEvent } from "./tributary-api.js";

export type ServerState = "idle" | "connecting" | "connected" | "unreachable" | "restricted";

const LISTENING = /listening on (http:\/\/\S+)/;
const MAX_BACKOFF_MS = 10_000;

export class Orchestration implements vscode.Disposable {
  private current: TributaryApi | undefined;
  private stateValue: ServerState = "idle";
  private local: ChildProcess | undefined;
  private socket: WebSocket | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoff = 250;
  private connecting: Promise<TributaryApi | undefined> | undefined;
  private disposed = false;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly eventEmitter = new vscode.EventEmitter<TributaryEvent>();
  /** Fires after the stream (re)connects: views reload what they show, events may have been missed. */
  private readonly resyncEmitter = new vscode.EventEmitter<void>();

  readonly onDidChangeState = this.stateEmitter.event;
  /** Every event of the server's live stream. */
  readonly onEvent = this.eventEmitter.event;
  readonly onDidResync = this.resyncEmitter.event;

  constructor(private readonly ctx: Ctx) {}

  get state(): ServerState {
    return this.stateValue;
  }

  /** The connected server's API; undefined until connected. */
  get api(): TributaryApi | undefined {
    return this.stateValue === "connected" ? this.current : undefined;
  }

  /** Connects (starting a local server when no URL is set); resolves to the API, or undefined when that failed (already reported). */
  connect(): Promise<TributaryApi | undefined> {
    if (this.api) return Promise.resolve(this.api);
    // The stream is reconnecting to a server that answered: its HTTP API is the one to use, not a second local server.
    if (this.current && this.stateValue === "connecting" && this.connecting === undefined) return Promise.resolve(this.current);
    this.connecting ??= this.doConnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Like {@link connect}, but a failure is an error whose message says what to do. */
  async require(): Promise<TributaryApi> {
    const api = await this.connect();
    if (api) return api;
    if (this.stateValue === "restricted") throw new Error("Tributary runs nothing in Restricted Mode: trust the workspace to use the orchestration server.");
    throw new Error(this.ctx.config.serverUrl !== "" ? `The orchestration server at ${this.ctx.config.serverUrl} is not reachable: check tributary.serverUrl.` : "The local orchestration server did not start: see the Tributary log.");
  }

  /** Drops the connection (and the local server) and connects again: after a settings change. */
  async reconnect(): Promise<TributaryApi | undefined> {
    this.teardown();
    const api = await this.connect();
    // Maybe another server altogether: every view reloads what it shows.
    if (api) this.resyncEmitter.fire();
    return api;
  }

  private async doConnect(): Promise<TributaryApi | undefined> {
    if (!vscode.workspace.isTrusted) {
      this.setState("restricted");
      return undefined;
    }
    this.setState("connecting");
    try {
      const configured = this.ctx.config.serverUrl.replace(/\/+$/, "");
      const local = configured === "" ? await this.startLocalServer() : undefined;
      const url = local?.url ?? configured;
      const api = new TributaryApi(url, local?.token ?? configuredToken(url));
      await api.health(AbortSignal.timeout(5000));
      this.current = api;
      await this.openStream(api);
      this.setState("connected");
      this.ctx.log.info(`Connected to the orchestration server at ${url}`);
      return api;
    } catch (error) {
      this.ctx.log.error(`Orchestration server: ${(error as Error).message}`);
      // A local server that started but failed the health check or the stream would otherwise
      // run on unused until VS Code closes, and the next connect would start a second one.
      this.teardown();
      this.setState("unreachable");
      return undefined;
    }
  }

  private async startLocalServer(): Promise<{ url: string; token: string }> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folders[0];
    if (!folder) throw new Error("Open a folder to use a local orchestration server (its store lives in the folder's .tributary/).");
    const copy = this.ctx.runtimes.for(folder.uri.fsPath);
    const runtime = await this.ctx.flowRuntimes.choose(copy);
    if (runtime === undefined) throw new Error("The local orchestration server was not started: no Node.js can run it (see the previous message).");
    if (this.disposed) throw new Error("The extension is stopping.");
    const cli = this.ctx.runtimes.use(copy, "The local orchestration server", runtime).cliPath;
    // Deployments of every folder of the workspace may run; the first folder holds the store.
    const args = ["server", "start", "--port", "0", "--exit-with-parent", ...folders.slice(1).flatMap((f) => ["--allow-workdir", f.uri.fsPath])];
    // The extension chooses the token and hands it over in the environment: it never sits on a command line.
    const token = newServerToken();
    this.ctx.log.info(`Starting a local orchestration server: ${runtime.command} ${cli} ${args.join(" ")} (in ${folder.uri.fsPath})`);
    return new Promise((resolve, reject) => {
      // stdin is a pipe this process holds: when the extension host dies, even by SIGKILL, the
      // kernel closes it and the server (--exit-with-parent) stops instead of outliving VS Code.
      const child = spawnOnRuntime(runtime, cli, args, {
        cwd: folder.uri.fsPath,
        env: { ...process.env, NO_COLOR: "1", TRIBUTARY_API_TOKEN: token },
        stdio: ["pipe", "pipe", "pipe"],
      });
      this.local = child;
      child.stdin!.on("error", () => undefined); // EPIPE once the server has gone: nothing to do
      let settled = false;
      let stderr = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        for (const line of chunk.split("\n")) if (line.trim() !== "") this.ctx.log.info(`[server] ${line}`);
        const match = LISTENING.exec(chunk);
        if (match && !settled) {
          settled = true;
          resolve({ url: match[1]!, token });
        }
      });
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        for (const line of chunk.split("\n")) if (line.trim() !== "") this.ctx.log.warn(`[server] ${line}`);
      });
      child.on("error", (error) => {
        if (settled) return;
        settled = true;
        reject(new Error(`Could not start ${runtime.label}: ${error.message}.`));
      });
      child.on("exit", (code, signal) => {
        // A server stopped by teardown is no longer `local`: only an unexpected exit tears down.
        const unexpected = this.local === child;
        if (unexpected) this.local = undefined;
        if (!settled) {
          settled = true;
          reject(new Error(`The local server exited (${signal ?? `code ${String(code)}`}) before listening: ${stderr.trim().split("\n").pop() ?? ""}`));
          return;
        }
        // Also while the stream is reconnecting ("connecting"): it would retry a dead port forever.
        if (!this.disposed && unexpected && this.current !== undefined) {
          this.ctx.log.error(`The local orchestration server stopped (${signal ?? `code ${String(code)}`}).`);
          this.teardown();
          this.setState("unreachable");
        }
      });
    });
  }

  private openStream(api: TributaryApi): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(api.streamUrl, { headers: api.authHeaders });
      this.socket = socket;
      let opened = false;
      socket.on("open", () => {
        opened = true;
        this.backoff = 250;
        resolve();
      });
      socket.on("message", (data) => {
        let event: TributaryEvent;
        try {
          event = JSON.parse(String(data)) as TributaryEvent;
        } catch {
          return;
        }
        this.eventEmitter.fire(event);
      });
      socket.on("error", (error) => {
        if (!opened) reject(new Error(`The event stream at ${api.streamUrl} did not open: ${error.message}`));
      });
      socket.on("close", () => {
        if (this.socket !== socket || this.disposed || !opened) return;
        this.socket = undefined;
        this.scheduleReconnect(api);
      });
    });
  }

  private scheduleReconnect(api: TributaryApi): void {
    this.setState("connecting");
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.openStream(api).then(
        () => {
          this.setState("connected");
          this.resyncEmitter.fire();
        },
        (error: unknown) => {
          this.ctx.log.warn(`Event stream: ${(error as Error).message}; retrying in ${this.backoff} ms`);
          this.scheduleReconnect(api);
        },
      );
    }, delay);
  }

  private setState(state: ServerState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    void vscode.commands.executeCommand("setContext", "tributary.server.state", state);
    this.stateEmitter.fire(state);
  }

  private teardown(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
    const local = this.local;
    this.local = undefined;
    local?.kill("SIGTERM");
    this.current = undefined;
    this.setState("idle");
  }

  dispose(): void {
    this.disposed = true;
    this.teardown();
    this.stateEmitter.dispose();
    this.eventEmitter.dispose();
    this.resyncEmitter.dispose();
  }
}

/**
 * The token for a server at a configured URL: TRIBUTARY_API_TOKEN in VS Code's environment, or the
 * one a `tributary server start` of a workspace folder recorded in its server.json for that URL.
 */
function configuredToken(url: string): string | undefined {
  const fromEnv = process.env.TRIBUTARY_API_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const recorded = readServerFile(serverFilePath(resolveStorePath(process.env, folder.uri.fsPath)));
    if (recorded && recorded.url.replace(/\/+$/, "").toLowerCase() === url.toLowerCase()) return recorded.token;
  }
  return undefined;
}
