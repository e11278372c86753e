/// <reference lib="dom" />
/**
 * The dashboard's calls to the server, all through here: each carries the session key (see
 * session.ts) besides the HttpOnly cookie the browser adds, and an answer that is not 2xx becomes
 * an `ApiError` holding the server's message. A session that ended (401, or 403 for the session)
 * is told to `onSignedOut`, which shows how to sign in again.
 */
import type { TributaryEvent } from "../orchestrator/contract.js";
import { keyRefused, keyWorked, SESSION_KEY_HEADER, SESSION_KEY_PROTOCOL_PREFIX, STREAM_PROTOCOL, sessionKey } from "./session.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Codes the guard answers when the session is missing, ended or its key does not match. */
const SIGNED_OUT_CODES = new Set(["UNAUTHORIZED", "SESSION_KEY_REQUIRED"]);

export class Api {
  constructor(private readonly onSignedOut: () => void) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>("DELETE", path);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (;;) {
      const key = sessionKey();
      const headers: Record<string, string> = { accept: "application/json" };
      if (key !== undefined) headers[SESSION_KEY_HEADER] = key;
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        throw new ApiError(response.status, "NOT_JSON", `${method} ${path} answered ${response.status} with a body that is not JSON.`);
      }
      if (response.ok) {
        if (key !== undefined) keyWorked(key);
        return parsed as T;
      }
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      const failure = new ApiError(response.status, error?.code ?? "HTTP", error?.message ?? `${method} ${path} answered ${response.status}.`);
      if (response.status === 401 || (response.status === 403 && SIGNED_OUT_CODES.has(failure.code))) {
        // Another key may be this browser's (see session.ts); none left: signed out.
        if (key !== undefined && keyRefused(key)) continue;
        this.onSignedOut();
      }
      throw failure;
    }
  }
}

export type EventListener = (event: TributaryEvent) => void;

/**
 * One WebSocket to `/api/events/stream` for the whole page, shared by every view: a view adds a
 * listener and removes it when it goes. The session key goes as a subprotocol (a browser cannot
 * set headers on a WebSocket). After a drop it connects again, waiting longer each time (up to
 * 10 s); `onReconnect` lets views reload what they may have missed.
 */
export class EventFeed {
  private readonly listeners = new Set<EventListener>();
  private readonly reconnectListeners = new Set<() => void>();
  private socket: WebSocket | undefined;
  private retryMs = 500;
  private connectedOnce = false;
  private stopped = false;

  constructor(private readonly onStatus: (connected: boolean) => void) {}

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => this.listeners.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private connect(): void {
    if (this.socket !== undefined || this.stopped) return;
    const url = new URL("/api/events/stream", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const key = sessionKey();
    const socket = new WebSocket(url, key === undefined ? [STREAM_PROTOCOL] : [STREAM_PROTOCOL, `${SESSION_KEY_PROTOCOL_PREFIX}${key}`]);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.retryMs = 500;
      this.onStatus(true);
      if (this.connectedOnce) for (const listener of this.reconnectListeners) listener();
      this.connectedOnce = true;
    });
    socket.addEventListener("message", (message) => {
      let event: TributaryEvent;
      try {
        event = JSON.parse(String(message.data)) as TributaryEvent;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(event);
    });
    socket.addEventListener("close", () => {
      this.socket = undefined;
      this.onStatus(false);
      if (this.stopped) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    });
  }
}
