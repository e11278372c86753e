/**
 * The live event stream, `GET /api/events/stream` upgraded to a WebSocket: every event the hub
 * publishes (and, unless the client asked for `?storedOnly=true`, every broadcast one) goes to
 * every client. Hardened like the HTTP routes and more:
 *
 * - the upgrade passes the same guard as every request (Host, Origin, then the token or a dashboard
 *   session's cookie with its key — a browser cannot set headers on a WebSocket, so the page offers
 *   the subprotocols `tributary` and `key.<key>`, and the answer selects `tributary`, never echoing
 *   the key) and the route's query schema, or is answered with the error and closed;
 * - every socket has an `error` handler: a malformed frame (unmasked, a reserved opcode, bad UTF-8,
 *   oversized — clients send nothing, so `maxPayload` is small) closes that connection only;
 * - a client that does not read is dropped once `maxBufferedBytes` wait for it, and logged: it
 *   cannot make the server hold its events for good.
 */
import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { LogLevel } from "../store/records.js";
import { ApiError } from "./api-error.js";
import { ROUTES } from "./contract.js";
import type { EventHub } from "./event-hub.js";
import { guardRequest, STREAM_SUBPROTOCOL, type RequestPolicy } from "./request-guard.js";
import { queryObject, validateRouteInput } from "./route-validation.js";

/** Clients send nothing on the stream; anything larger than this is an attack or a bug. */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;
const STREAM_PATH = ROUTES.eventStream.split(" ")[1]!;

export interface EventStreamOptions {
  hub: EventHub;
  policy: () => RequestPolicy;
  maxBufferedBytes: number;
  log: (level: LogLevel, message: string) => void;
}

export class EventStreamServer {
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_FRAME_BYTES,
    // Select `tributary` when offered, and nothing else: by default ws would echo the first offered
    // subprotocol, which for a dashboard page could be its `key.<key>`.
    handleProtocols: (protocols) => (protocols.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
  });
  /** Clients that connected with ?storedOnly=true are not sent broadcast events. */
  private readonly storedOnly = new WeakSet<WebSocket>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: EventStreamOptions) {
    this.unsubscribe = options.hub.subscribe((event, stored) => this.send(JSON.stringify(event), stored), { broadcasts: true });
  }

  /** Whether `request` asks for the stream (then `upgrade` answers it). */
  static isStreamRequest(request: http.IncomingMessage): boolean {
    return pathnameOf(request) === STREAM_PATH;
  }

  upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until ws owns the socket, an error on it (a reset peer) must not reach the process.
    socket.on("error", () => socket.destroy());
    let storedOnly: boolean;
    try {
      if (!EventStreamServer.isStreamRequest(request)) throw new ApiError(404, "NOT_FOUND", `No WebSocket route at ${pathnameOf(request)}.`);
      guardRequest(request, this.options.policy(), "stream");
      const query = validateRouteInput("eventStream", { params: {}, query: queryObject(searchOf(request)), body: undefined }).query;
      storedOnly = query.storedOnly === "true";
    } catch (error) {
      refuse(socket, error instanceof ApiError ? error : new ApiError(400, "BAD_REQUEST", String(error)));
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.on("error", (error) => {
        this.options.log("warning", `Event stream client dropped: ${error.message}`);
        ws.terminate();
      });
      if (storedOnly) this.storedOnly.add(ws);
    });
  }

  private send(text: string, stored: boolean): void {
    for (const client of this.sockets.clients) {
      if (client.readyState !== client.OPEN || (!stored && this.storedOnly.has(client))) continue;
      if (client.bufferedAmount > this.options.maxBufferedBytes) {
        this.options.log(
          "warning",
          `Event stream client dropped: it did not read, and ${client.bufferedAmount} bytes of events were waiting for it (the limit is ${this.options.maxBufferedBytes}).`,
        );
        client.terminate();
        continue;
      }
      client.send(text);
    }
  }

  get clientCount(): number {
    return this.sockets.clients.size;
  }

  close(): void {
    this.unsubscribe();
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
  }
}

function pathnameOf(request: http.IncomingMessage): string {
  try {
    return new URL(request.url ?? "/", "http://localhost").pathname;
  } catch {
    return "";
  }
}

function searchOf(request: http.IncomingMessage): URLSearchParams {
  return new URL(request.url ?? "/", "http://localhost").searchParams;
}

function refuse(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? "Error"}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" };
