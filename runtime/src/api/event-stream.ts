/**
 * The live event stream of the server (`/api/events/stream?storedOnly=true`, a WebSocket), shared by every wait in
 * the process: one socket per server, opened for the first subscriber, closed after the last,
 * and reopened (with a growing pause) if it drops while someone listens. Subscribers are told
 * when it reopens, so they can re-read what they wait for and miss nothing.
 */
import WebSocket from "ws";
import type { TributaryEvent } from "../orchestrator/contract.js";
import { authorizationHeaders, type ApiConfig } from "./api-config.js";
import { ServerUnreachableError, UnauthorizedError } from "./client-errors.js";

export interface EventListener {
  onEvent(event: TributaryEvent): void;
  /** The stream dropped and is open again: events may have been missed meanwhile. */
  onReconnect?(): void;
}

export interface Subscription {
  close(): void;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2_000;

class EventStream {
  private socket: WebSocket | undefined;
  private open = false;
  private everOpened = false;
  private readonly listeners = new Set<EventListener>();
  /** Subscribers waiting for the socket to open. */
  private waiting: { listener: EventListener; resolve: () => void; reject: (error: Error) => void }[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastError: Error | undefined;

  constructor(private readonly config: ApiConfig) {}

  /** Resolves once the stream is open, so that every event published afterwards reaches `listener`. */
  subscribe(listener: EventListener): Promise<Subscription> {
    this.listeners.add(listener);
    const subscription = { close: () => this.unsubscribe(listener) };
    if (this.open) return Promise.resolve(subscription);
    const opened = new Promise<Subscription>((resolve, reject) => {
      this.waiting.push({ listener, resolve: () => resolve(subscription), reject });
    });
    if (this.socket === undefined && this.retryTimer === undefined) this.connect();
    return opened;
  }

  private unsubscribe(listener: EventListener): void {
    this.listeners.delete(listener);
    this.waiting = this.waiting.filter((w) => w.listener !== listener);
    if (this.listeners.size > 0) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.open = false;
    this.everOpened = false;
    socket?.removeAllListeners();
    socket?.on("error", () => undefined);
    socket?.terminate();
  }

  private connect(): void {
    const url = `${this.config.url.replace(/^http/, "ws")}/api/events/stream?storedOnly=true`;
    const socket = new WebSocket(url, { headers: authorizationHeaders(this.config) });
    this.socket = socket;
    socket.on("open", () => {
      const reopened = this.everOpened;
      this.open = true;
      this.everOpened = true;
      this.failures = 0;
      const waiting = this.waiting;
      this.waiting = [];
      for (const w of waiting) w.resolve();
      if (reopened) for (const listener of [...this.listeners]) if (!waiting.some((w) => w.listener === listener)) listener.onReconnect?.();
    });
    socket.on("message", (data) => {
      let event: TributaryEvent;
      try {
        event = JSON.parse(String(data)) as TributaryEvent;
      } catch {
        return;
      }
      for (const listener of [...this.listeners]) listener.onEvent(event);
    });
    socket.on("error", (error) => {
      this.lastError = error;
    });
    socket.on("close", () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.open = false;
      // Those still waiting for their first open get the failure rather than an endless wait.
      const waiting = this.waiting;
      this.waiting = [];
      for (const w of waiting) {
        this.listeners.delete(w.listener);
        w.reject(this.openFailure());
      }
      if (this.listeners.size > 0) this.scheduleReconnect();
    });
  }

  private openFailure(): Error {
    const reason = this.lastError?.message ?? "the connection closed";
    const status = /Unexpected server response: (\d+)/.exec(reason)?.[1];
    if (status === "401" || status === "403") {
      return new UnauthorizedError(`The Tributary server at ${this.config.url} refused the event stream (${status}): set TRIBUTARY_API_TOKEN to the server's token.`, Number(status));
    }
    return new ServerUnreachableError(`Could not open the event stream of the Tributary server at ${this.config.url} (${reason}).`, { cause: this.lastError });
  }

  private scheduleReconnect(): void {
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.failures++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.listeners.size > 0) this.connect();
    }, delay);
  }
}

const STREAMS_KEY = Symbol.for("tributary.client.event-streams");

/** The process's one stream for this server (kept on globalThis, so bundled copies share it). */
export function sharedEventStream(config: ApiConfig): EventStream {
  const holder = globalThis as { [STREAMS_KEY]?: Map<string, EventStream> };
  const streams = (holder[STREAMS_KEY] ??= new Map());
  const key = `${config.url} ${config.token ?? ""}`;
  let stream = streams.get(key);
  if (stream === undefined) {
    stream = new EventStream(config);
    streams.set(key, stream);
  }
  return stream;
}

export type { EventStream };
