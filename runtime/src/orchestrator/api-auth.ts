/**
 * Where the server may listen: loopback always; any other address only with a token the user
 * chose (TRIBUTARY_API_TOKEN) — clients elsewhere cannot read the token file a loopback server
 * writes. Every request is checked by request-guard.ts.
 */
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
