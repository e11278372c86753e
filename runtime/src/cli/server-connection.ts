/**
 * How CLI commands reach the orchestration server: the one at TRIBUTARY_API_URL when it answers,
 * else the one that `tributary server start` recorded in server.json beside the workspace's store
 * when it answers, else an ephemeral server started in this process on the workspace's store
 * (127.0.0.1, an OS-chosen port) for the life of the command. Either way commands speak the same
 * HTTP API, with the server's token: TRIBUTARY_API_TOKEN, or the one in server.json for its URL.
 */
import { UsageError } from "../errors.js";
import { API_TOKEN_ENV, API_URL_ENV, type TributaryEvent } from "../orchestrator/contract.js";
import { readServerFile, serverFilePath } from "../orchestrator/server-file.js";
import { startServer, type RunningServer } from "../orchestrator/start-server.js";
import { openCliStore } from "./open-cli-store.js";
import type { Store } from "../store/store.js";
import { runChildPath, runtimeLibraryPath, type CliContext } from "./cli-context.js";
import WebSocket from "ws";

const HEALTH_TIMEOUT_MS = 10_000;

export interface ServerConnection {
  readonly url: string;
  readonly token: string | undefined;
  /** Set when the server runs in this process (no server was reachable). */
  readonly embedded?: { server: RunningServer; store: Store };
  /** Calls the API; a 4xx answer becomes a UsageError carrying the server's message. */
  request<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /**
   * Opens the live event stream: the stored events, and with `broadcasts` the broadcast ones too
   * (task runs' state changes, log lines).
   */
  stream(onEvent: (event: TributaryEvent) => void, options?: { broadcasts?: boolean }): Promise<{ close(): void }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** For an embedded server: execute deployment runs (the worker) and keep schedules. */
  worker?: boolean;
}

/**
 * The running server named by TRIBUTARY_API_URL, or recorded in the workspace's server.json when
 * that is unset; undefined when there is none or it does not answer.
 */
export async function reachableServer(ctx: CliContext): Promise<ServerConnection | undefined> {
  const configured = ctx.env[API_URL_ENV]?.trim().replace(/\/+$/, "");
  const recorded = readServerFile(serverFilePath(ctx.storePath));
  const url = configured || recorded?.url;
  if (url === undefined) return undefined;
  const token = ctx.env[API_TOKEN_ENV] || (recorded !== undefined && sameServer(recorded.url, url) ? recorded.token : undefined);
  try {
    // No server there answers at once (connection refused). One that is there but busy (a loaded
    // machine, an editor's local server starting a run) gets time: giving up on it would run the
    // flow on an ephemeral server whose runs the user's server never hears of.
    const response = await fetch(`${url}/api/health`, { headers: authHeaders(token), signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    if (response.status === 401) {
      // A recorded server whose port another server took since: not ours to use.
      if (!configured) return undefined;
      throw new UsageError(
        `The server at ${url} refused ${token === undefined ? "a request without a token" : "the token"}: set ${API_TOKEN_ENV} to the server's token (a local server writes it to server.json beside its store).`,
      );
    }
    if (!response.ok) return undefined;
  } catch (error) {
    if ((error as Error).name === "UsageError") throw error;
    return undefined;
  }
  return connectTo(url, token);
}

export async function connectToServer(ctx: CliContext, options: ConnectOptions = {}): Promise<ServerConnection> {
  const remote = await reachableServer(ctx);
  if (remote) return remote;
  const store = await openCliStore(ctx);
  const server = await startServer({
    store,
    port: 0,
    scheduler: false,
    workDirs: [ctx.cwd],
    // No spare runner: a command's server lives for a run or two, and a spare nobody takes costs
    // a node start (~0.35 CPU-s) on every command.
    ...(options.worker ? { worker: { runnerFile: runChildPath(ctx), runtimeLibrary: runtimeLibraryPath(ctx), spareRunners: 0 } } : {}),
    log: (level, message) => ctx.stderr.write(`tributary: ${level}: ${message}\n`),
  });
  const base = connectTo(server.url, server.token);
  return {
    ...base,
    embedded: { server, store },
    async close() {
      await server.close();
      await store.close();
    },
  };
}

/** Runs `use` with a connection and closes it after. */
export async function withServer<T>(ctx: CliContext, use: (server: ServerConnection) => Promise<T>, options?: ConnectOptions): Promise<T> {
  const server = await connectToServer(ctx, options);
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

/** A connection to the server at `url`. */
export function connectTo(url: string, token: string | undefined): ServerConnection {
  return {
    url,
    token,
    async request<T>(method: string, route: string, body?: unknown) {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: { "content-type": "application/json", ...authHeaders(token) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const parsed = (await response.json()) as T & { error?: { message: string } };
      if (response.status >= 400 && response.status < 500) throw new UsageError(parsed.error?.message ?? `The server answered ${response.status}.`);
      if (response.status >= 500) throw new Error(parsed.error?.message ?? `The server answered ${response.status}.`);
      return { status: response.status, body: parsed };
    },
    async stream(onEvent, options = {}) {
      const query = options.broadcasts === true ? "" : "?storedOnly=true";
      const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/events/stream${query}`, { headers: authHeaders(token) });
      socket.on("message", (data) => onEvent(JSON.parse(String(data)) as TributaryEvent));
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      });
      return { close: () => socket.terminate() };
    },
    async close() {},
  };
}

function sameServer(a: string, b: string): boolean {
  return a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
}

function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
