/**
 * Who may talk to the server, checked on every request and on the WebSocket upgrade before any
 * route runs — so a new route is guarded by construction:
 *
 * - **Host.** On a loopback bind, the `Host` header must name the bound address or `localhost`: a
 *   page of another site whose name an attacker re-pointed at 127.0.0.1 (DNS rebinding) is refused.
 * - **Origin.** A request that carries an `Origin` must come from the server's own origin (the
 *   `Host` it was sent to) or from `allowedOrigins`: no other web page may call the API, even with a
 *   "simple" request that a browser sends without asking first.
 * - **Token or session.** Every request carries `Authorization: Bearer <token>`, on loopback too:
 *   other local users and every web page lack it (constant-time comparison). Or, from the
 *   dashboard, a session cookie (dashboard-sessions.ts) together with the session's key: the
 *   cookie is honoured only without an `Origin` or with the server's own (not `allowedOrigins`),
 *   and on every request, reads too, only with the key in `X-Tributary-Session-Key` (on the stream's
 *   upgrade, where a browser cannot set headers, as the subprotocol `key.<key>`), compared in
 *   constant time. Browsers send the cookie to every port of the host, so a server on another port
 *   may hold it and replay it without an `Origin`; the key it cannot have (the page keeps it in this
 *   origin's localStorage), and a page of another origin cannot send the header without a
 *   preflight the server never grants.
 * - **JSON only.** A request with a body must declare `Content-Type: application/json` (a page can
 *   send `text/plain` cross-site without a preflight; it cannot send this).
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";
import { isLoopbackHost } from "./api-auth.js";
import { DashboardSessions, type DashboardSession } from "./dashboard-sessions.js";
import { cookieValues, sessionCookieName } from "./session-cookie.js";

/** The header a dashboard page sends its session's key in, on every API request. */
export const SESSION_KEY_HEADER = "x-tributary-session-key";
/** On the stream's upgrade the key comes as the subprotocol `key.<key>`, beside `tributary`. */
export const STREAM_SUBPROTOCOL = "tributary";
export const KEY_SUBPROTOCOL_PREFIX = "key.";

export interface RequestPolicy {
  readonly token: string;
  /**
   * Host names a `Host` header may name (lower case, IPv6 in brackets); undefined when the server
   * listens beyond loopback, where any name may reach it and the token guards it.
   */
  readonly hostNames: ReadonlySet<string> | undefined;
  /** Origins besides the server's own that may call it (`https://dash.example.com`). */
  readonly allowedOrigins: ReadonlySet<string>;
  /** The dashboard's sessions, and the name of their cookie on this server. */
  readonly sessions: DashboardSessions;
  readonly cookieName: string;
}

export interface RequestPolicyOptions {
  /** The address the server is bound to. */
  host: string;
  port: number;
  token: string;
  allowedOrigins?: readonly string[];
  sessions: DashboardSessions;
}

/** Who a request was let in as: a holder of the token, or a dashboard session. */
export type RequestAuth = { kind: "token" } | { kind: "session"; session: DashboardSession; cookieName: string };

/** The policy for a server bound to `host`:`port` with `token`. */
export function requestPolicy(options: RequestPolicyOptions): RequestPolicy {
  const { host } = options;
  const bound = host.includes(":") && !host.startsWith("[") ? `[${host.toLowerCase()}]` : host.toLowerCase();
  return {
    token: options.token,
    hostNames: isLoopbackHost(host) ? new Set(["localhost", bound]) : undefined,
    allowedOrigins: new Set((options.allowedOrigins ?? []).map((origin) => origin.replace(/\/+$/, "").toLowerCase())),
    sessions: options.sessions,
    cookieName: sessionCookieName(options.port),
  };
}

/**
 * Throws the ApiError to answer when `request` may not reach the API; returns who it comes from
 * when it may. `via` says where a session's key travels: the header (`api`) or, on the stream's
 * WebSocket upgrade, the `Sec-WebSocket-Protocol` list (`stream`).
 */
export function guardRequest(request: IncomingMessage, policy: RequestPolicy, via: "api" | "stream" = "api"): RequestAuth {
  checkAddressing(request, policy);
  const auth = authenticate(request, policy, via);
  if (hasBody(request) && !isJson(request.headers["content-type"])) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `Request bodies must be JSON sent as \`Content-Type: application/json\`, got ${request.headers["content-type"] === undefined ? "no Content-Type" : JSON.stringify(request.headers["content-type"])}.`,
    );
  }
  return auth;
}

/**
 * The Host and Origin checks alone: for the dashboard's pages and sign-in link, which are not API
 * routes but must not answer a rebinding DNS name or another site's page either.
 */
export function checkAddressing(request: IncomingMessage, policy: RequestPolicy): void {
  const host = request.headers.host;
  if (policy.hostNames !== undefined) {
    const name = host === undefined ? undefined : hostName(host);
    if (name === undefined || !policy.hostNames.has(name)) {
      throw new ApiError(
        403,
        "FORBIDDEN_HOST",
        `This server answers only requests addressed to ${[...policy.hostNames].join(" or ")}, not ${host === undefined ? "a request without a Host header" : `"${host}"`}: use the URL the server printed.`,
      );
    }
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(origin, host, policy)) {
    throw new ApiError(403, "FORBIDDEN_ORIGIN", `Requests from the web page at ${JSON.stringify(origin)} are refused: only the server's own origin may call it.`);
  }
}

/** The dashboard session a request's cookie names, if it is live (for pages, which answer HTML). */
export function sessionOf(request: IncomingMessage, policy: RequestPolicy): DashboardSession | undefined {
  for (const id of cookieValues(request.headers.cookie, policy.cookieName)) {
    const session = policy.sessions.session(id);
    if (session !== undefined) return session;
  }
  return undefined;
}

function authenticate(request: IncomingMessage, policy: RequestPolicy, via: "api" | "stream"): RequestAuth {
  if (request.headers.authorization !== undefined) {
    if (hasToken(request, policy.token)) return { kind: "token" };
    throw unauthorized("The token sent in `Authorization` is not this server's");
  }
  const session = sessionOf(request, policy);
  if (session === undefined) {
    if (cookieValues(request.headers.cookie, policy.cookieName).length > 0) {
      throw new ApiError(401, "UNAUTHORIZED", "Your dashboard session has ended (signed out, unused for 12 hours, older than 7 days, or the server restarted): sign in again with the link `tributary server open` prints.");
    }
    throw unauthorized("This server needs `Authorization: Bearer <token>`");
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, request.headers.host)) {
    throw new ApiError(403, "FORBIDDEN_ORIGIN", `A dashboard session is honoured only on the server's own pages, not from the web page at ${JSON.stringify(origin)}: use the token there.`);
  }
  const given = via === "stream" ? keyFromSubprotocols(request) : keyFromHeader(request);
  if (!DashboardSessions.keyMatches(session, given.key)) {
    const where = via === "stream" ? `as the WebSocket subprotocol \`${KEY_SUBPROTOCOL_PREFIX}<key>\`` : `in the \`X-Tributary-Session-Key\` header`;
    const what = given.problem ?? (given.key === undefined ? "and none was sent" : "and the one sent is not this session's");
    throw new ApiError(
      401,
      "SESSION_KEY_REQUIRED",
      `${request.method ?? "GET"} ${pathOf(request)} with the dashboard's session cookie needs the session's key ${where}, ${what} (the cookie alone is not enough: browsers send it to every port of this host). The dashboard page keeps the key from its sign-in link: sign in again with the link \`tributary server open\` prints.`,
    );
  }
  return { kind: "session", session, cookieName: policy.cookieName };
}

function keyFromHeader(request: IncomingMessage): { key?: string; problem?: string } {
  const given = request.headers[SESSION_KEY_HEADER];
  return typeof given === "string" ? { key: given } : {};
}

/** The `key.<key>` entry of the upgrade's `Sec-WebSocket-Protocol` list; exactly one may be given. */
function keyFromSubprotocols(request: IncomingMessage): { key?: string; problem?: string } {
  const header = request.headers["sec-websocket-protocol"];
  if (header === undefined) return {};
  const keys = header
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith(KEY_SUBPROTOCOL_PREFIX))
    .map((entry) => entry.slice(KEY_SUBPROTOCOL_PREFIX.length));
  if (keys.length > 1) return { problem: "and more than one was sent" };
  return keys.length === 1 ? { key: keys[0] } : {};
}

function unauthorized(what: string): ApiError {
  return new ApiError(
    401,
    "UNAUTHORIZED",
    `${what}: the token is in server.json beside the server's store (the CLI and the extension read it there), or in TRIBUTARY_API_TOKEN. In a browser, sign in with the link \`tributary server open\` prints.`,
  );
}

function pathOf(request: IncomingMessage): string {
  return (request.url ?? "/").split("?")[0]!;
}

function hostName(host: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

function isAllowedOrigin(origin: string, host: string | undefined, policy: RequestPolicy): boolean {
  const normalized = origin.replace(/\/+$/, "").toLowerCase();
  if (policy.allowedOrigins.has(normalized)) return true;
  return isOwnOrigin(origin, host);
}

function isOwnOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && origin.replace(/\/+$/, "").toLowerCase() === `http://${host.trim().toLowerCase()}`;
}

function hasToken(request: IncomingMessage, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A body is coming: a length above 0, or a chunked one. */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers["content-length"];
  if (length !== undefined) return length.trim() !== "0";
  return request.headers["transfer-encoding"] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  return mediaType === "application/json";
}
