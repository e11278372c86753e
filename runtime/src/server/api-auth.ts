/**
 * Who may talk to the server: on loopback anyone on the machine; anywhere else only callers with
 * the token (TRIBUTARY_API_TOKEN), which every request and the WebSocket upgrade then carry as
 * `Authorization: Bearer <token>`. The comparison takes constant time.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { InvalidOptionError } from "../errors.js";
import { API_TOKEN_ENV } from "./contract.js";

/** `127.0.0.1`, `::1`, `localhost` and the rest of 127.0.0.0/8. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Refuses to serve beyond loopback without a token. */
export function checkBinding(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && (token === undefined || token === "")) {
    throw new InvalidOptionError(
      `Refusing to listen on ${host} without a token: anyone who can reach it could run your flows. Set ${API_TOKEN_ENV} (every client then sends it), or bind to 127.0.0.1.`,
    );
  }
}

export function isAuthorized(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined || token === "") return true;
  const header = request.headers.authorization ?? "";
  const match = /^Bearer (.+)$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
