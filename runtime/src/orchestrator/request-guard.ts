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
 *   dashboard, a session cookie (dashboard-sessions.ts): honoured only without an `Origin` or with
 *   the server's own (not `allowedOrigins`), and for anything but GET and HEAD only with the
 *   session's CSRF token in `X-Tributary-CSRF` — a header no page of another origin can send
 *   without a preflight the server never grants.
 * - **JSON only.** A request with a body must declare `Content-Type: application/json` (a page can
 *   send `text/plain` cross-site without a preflight; it cannot send this).
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";
import { isLoopbackHost } from "./api-auth.js";
import { DashboardSessions, type DashboardSession } from "./dashboard-sessions.js";
import { cookieValues, sessionCookieName } from "./session-cookie.js";

/** The header a dashboard page sends its session's CSRF token in. */
export const CSRF_HEADER = "x-tributary-csrf";

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
 * when it may.
 */
export function guardRequest(request: IncomingMessage, policy: RequestPolicy): RequestAuth {
  checkAddressing(request, policy);
  const auth = authenticate(request, policy);
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

function authenticate(request: IncomingMessage, policy: RequestPolicy): RequestAuth {
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
  const method = request.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    const given = request.headers[CSRF_HEADER];
    if (!DashboardSessions.csrfMatches(session, typeof given === "string" ? given : undefined)) {
      throw new ApiError(
        403,
        "CSRF_REQUIRED",
        `${method} ${pathOf(request)} with a dashboard session needs the session's CSRF token in the \`X-Tributary-CSRF\` header, ${given === undefined ? "and none was sent" : "and the one sent is not this session's"}: read it from GET /api/session.`,
      );
    }
  }
  return { kind: "session", session, cookieName: policy.cookieName };
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
