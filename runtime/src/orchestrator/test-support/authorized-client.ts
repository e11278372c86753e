/**
 * For tests that talk to a server with plain fetch and WebSocket: the same calls, carrying the
 * server's token (every route and the stream need it). A server that `tributary server start`
 * started has its token in server.json beside its store.
 */
import WebSocket from "ws";
import { readServerFile, serverFilePath } from "../server-file.js";

export interface AuthorizedClient {
  readonly token: string;
  /** fetch with `Authorization` (and `Content-Type: application/json` when there is a body). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** A WebSocket to `<url>/api/events/stream<query>`. */
  stream(url: string, query?: string): WebSocket;
}

export function authorizedClient(token: string): AuthorizedClient {
  const headers = { authorization: `Bearer ${token}` };
  return {
    token,
    fetch: (url, init = {}) =>
      fetch(url, { ...init, headers: { ...headers, ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...(init.headers as Record<string, string> | undefined) } }),
    stream: (url, query = "") => new WebSocket(`${url.replace(/^http/, "ws")}/api/events/stream${query}`, { headers }),
  };
}

/** The client for the server `tributary server start` recorded beside the store at `dbPath`. */
export function clientOfRecordedServer(dbPath: string): AuthorizedClient {
  const recorded = readServerFile(serverFilePath(dbPath));
  if (!recorded) throw new Error(`No readable server.json beside ${dbPath}: did the server start?`);
  return authorizedClient(recorded.token);
}
