/**
 * Who may talk to the server, checked on every request and on the WebSocket upgrade before any
 * route runs — so a new route is guarded by construction:
 *
 * - **Host.** On a loopback bind, the `Host` header must name the bound address or `localhost`: a
 *   page of another site whose name an attacker re-pointed at 127.0.0.1 (DNS rebinding) is refused.
 * - **Origin.** A request that carries an `Origin` must come from the server's own origin (the
 *   `Host` it was sent to) or from `allowedOrigins`: no other web page may call the API, even with a
 *   "simple" request that a browser sends without asking first.
 * - **Token.** Every request carries `Authorization: Bearer <token>`, on loopback too: other local
 *   users and every web page lack it. The comparison takes constant time.
 * - **JSON only.** A request with a body must declare `Content-Type: application/json` (a page can
 *   send `text/plain` cross-site without a preflight; it cannot send this).
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";
import { isLoopbackHost } from "./api-auth.js";

export interface RequestPolicy {
  readonly token: string;
  /**
   * Host names a `Host` header may name (lower case, IPv6 in brackets); undefined when the server
   * listens beyond loopback, where any name may reach it and the token guards it.
   */
  readonly hostNames: ReadonlySet<string> | undefined;
  /** Origins besides the server's own that may call it (`https://dash.example.com`). */
  readonly allowedOrigins: ReadonlySet<string>;
}

/** The policy for a server bound to `host` with `token`. */
export function requestPolicy(host: string, token: string, allowedOrigins: readonly string[] = []): RequestPolicy {
  const bound = host.includes(":") && !host.startsWith("[") ? `[${host.toLowerCase()}]` : host.toLowerCase();
  return {
    token,
    hostNames: isLoopbackHost(host) ? new Set(["localhost", bound]) : undefined,
    allowedOrigins: new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, "").toLowerCase())),
  };
}

/** Throws the ApiError to answer when `request` may not reach the API; returns when it may. */
export function guardRequest(request: IncomingMessage, policy: RequestPolicy): void {
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
  if (!hasToken(request, policy.token)) {
    throw new ApiError(
      401,
      "UNAUTHORIZED",
      "This server needs `Authorization: Bearer <token>`: the token is in server.json beside the server's store (the CLI and the extension read it there), or in TRIBUTARY_API_TOKEN.",
    );
  }
  if (hasBody(request) && !isJson(request.headers["content-type"])) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `Request bodies must be JSON sent as \`Content-Type: application/json\`, got ${request.headers["content-type"] === undefined ? "no Content-Type" : JSON.stringify(request.headers["content-type"])}.`,
    );
  }
}

function hostName(host: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

function isAllowedOrigin(origin: string, host: string | undefined, policy: RequestPolicy): boolean {
  const normalized = origin.replace(/\/+$/, "").toLowerCase();
  if (policy.allowedOrigins.has(normalized)) return true;
  return host !== undefined && normalized === `http://${host.trim().toLowerCase()}`;
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
