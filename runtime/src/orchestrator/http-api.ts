/**
 * One HTTP request through the API, in the same order for every route: the guard (Host, Origin,
 * token, or session cookie with its key, JSON only: request-guard.ts), the route, the body read with its bound, the route's
 * schemas (route-validation.ts), the handler — and, for a request that changes something, the
 * store's pending writes committed before the answer goes out: what the server acknowledged is
 * committed. Any failure is an `{ error: { code, message } }` answer; a 500 means a bug.
 */
import type http from "node:http";
import type { Store } from "../store/store.js";
import { ApiError, badRequest } from "./api-error.js";
import type { Route } from "./api-routes.js";
import { readJsonBody } from "./read-json-body.js";
import { guardRequest, type RequestPolicy } from "./request-guard.js";
import { maxBodyBytesOf, queryObject, validateRouteInput } from "./route-validation.js";

export interface HttpApiOptions {
  routes: Route[];
  store: Store;
  policy: () => RequestPolicy;
  maxBodyBytes: number;
  onError: (error: unknown) => void;
}

export function httpApiHandler(options: HttpApiOptions): (request: http.IncomingMessage, response: http.ServerResponse) => void {
  return (request, response) => void handle(options, request, response);
}

async function handle(options: HttpApiOptions, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  try {
    const auth = guardRequest(request, options.policy());
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      throw badRequest(`The request path ${JSON.stringify(request.url)} is not a valid URL path.`);
    }
    const method = request.method ?? "GET";
    const { route, params } = findRoute(options.routes, method, url.pathname);
    const body = method === "GET" || method === "HEAD" ? undefined : await readJsonBody(request, maxBodyBytesOf(route.key, options.maxBodyBytes));
    const input = validateRouteInput(route.key, { params, query: queryObject(url.searchParams), body });
    const [status, result, headers] = await route.handler({ params: input.params, query: new URLSearchParams(input.query), body: input.body, auth });
    if (method !== "GET") await options.store.flush();
    send(response, status, result, headers);
  } catch (error) {
    if (error instanceof ApiError) {
      const body = { error: { code: error.code, message: error.message } };
      if (error.status === 413) refuseBody(request, response, body);
      else send(response, error.status, body);
      return;
    }
    options.onError(error);
    send(response, 500, { error: { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) } });
  }
}

function findRoute(routes: Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = decodeSegment(match[i + 1]!, name)));
    return { route, params };
  }
  if (pathMatched) throw new ApiError(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${pathname}.`);
  throw new ApiError(404, "NOT_FOUND", `No route ${method} ${pathname}.`);
}

function decodeSegment(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The path parameter \`${name}\` is not valid percent-encoding: "${segment}". Encode it with encodeURIComponent.`);
  }
}

/** How long a refused body's connection still reads (and drops) what the client sends. */
const LINGER_MS = 5_000;

/**
 * The 413 of a body the client may still be sending. Closing the connection at once would leave
 * the client's unread bytes on it, and the kernel answers those with a reset that can destroy the
 * 413 before the client reads it. So: the answer goes out, the server's side of the connection is
 * closed (the client sees its end), and what still arrives is dropped unread for at most
 * LINGER_MS; then the socket is destroyed. Nothing of the body is kept.
 */
function refuseBody(request: http.IncomingMessage, response: http.ServerResponse, body: unknown): void {
  const socket = request.socket;
  response.once("finish", () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  request.resume();
  send(response, 413, body);
}

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  });
  response.end(text);
}
