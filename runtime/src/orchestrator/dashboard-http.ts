/**
 * What the server answers outside `/api`: the dashboard's sign-in link and its pages.
 *
 * - `GET /sign-in?ticket=…` uses up a one-time ticket (dashboard-sessions.ts) and answers 303 to
 *   `/#key=<the session's key>` with the session cookie (a fragment is sent to no server, and the
 *   page moves it into this origin's localStorage); a used, expired or unknown ticket gets a page
 *   saying to run `tributary server open` again.
 * - Every other page needs a live session cookie: without one it is a 401 page that says how to
 *   sign in and shows nothing else. With one, a file of the dashboard's fixed table
 *   (dashboard-files.ts): the files hold no data, so the cookie alone opens them; the data is
 *   behind the API, which also needs the key.
 *
 * The Host and Origin checks of the API hold here too (a rebinding DNS name, another site's page).
 * Every answer carries a strict Content-Security-Policy (scripts and styles of this origin only,
 * no framing), `nosniff` and `no-referrer` (the ticket in the link must not travel onward).
 */
import type http from "node:http";
import { ApiError } from "./api-error.js";
import type { DashboardFile } from "./dashboard-files.js";
import { checkAddressing, sessionOf, type RequestPolicy } from "./request-guard.js";
import { sessionCookie } from "./session-cookie.js";

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SIGN_IN_PATH = "/sign-in";

export interface DashboardHttpOptions {
  policy: () => RequestPolicy;
  files: ReadonlyMap<string, DashboardFile>;
  /** Where the files were looked for, to say so when there are none. */
  dir: string | undefined;
}

/** Whether `request` is for the API (`/api` and below): those answer JSON, never a page. */
export function isApiRequest(request: http.IncomingMessage): boolean {
  const url = request.url ?? "/";
  return url === "/api" || url.startsWith("/api/") || url.startsWith("/api?");
}

export function dashboardHandler(options: DashboardHttpOptions): (request: http.IncomingMessage, response: http.ServerResponse) => void {
  return (request, response) => {
    try {
      serve(options, request, response);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      sendPage(request, response, error.status, "Refused", error.message);
    }
  };
}

function serve(options: DashboardHttpOptions, request: http.IncomingMessage, response: http.ServerResponse): void {
  const policy = options.policy();
  checkAddressing(request, policy);
  const method = request.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    sendPage(request, response, 405, "Not allowed", `${method} is not allowed on the dashboard's pages: they are only read (GET).`, { allow: "GET, HEAD" });
    return;
  }
  const [rawPath = "/", rawQuery = ""] = (request.url ?? "/").split("?", 2);
  if (rawPath === SIGN_IN_PATH) {
    signIn(policy, new URLSearchParams(rawQuery).get("ticket"), request, response);
    return;
  }
  if (sessionOf(request, policy) === undefined) {
    sendPage(request, response, 401, "Sign in", "Sign in with the link `tributary server open` prints (run it where the server's store is).");
    return;
  }
  if (!/^\/[A-Za-z0-9._/-]*$/.test(rawPath) || rawPath.split("/").some((segment) => segment === ".." || segment === ".")) {
    sendPage(request, response, 400, "Not a page", `${JSON.stringify(rawPath.slice(0, 200))} is not a path of the dashboard: its files have plain names (letters, digits, ".", "-", "_", "/"), with no ".." and no %-escapes.`);
    return;
  }
  const file = options.files.get(rawPath);
  if (file === undefined) {
    const why =
      options.files.size === 0
        ? `This server has no dashboard files${options.dir === undefined ? "" : ` (it looked in ${options.dir})`}: build them with \`npm run build\`, or use the tributaryjs package, which ships them.`
        : `The dashboard has no page ${rawPath}.`;
    sendPage(request, response, 404, "Not found", why);
    return;
  }
  const isHtml = file.contentType.startsWith("text/html");
  response.writeHead(200, {
    ...securityHeaders(),
    "content-type": file.contentType,
    "content-length": file.body.length,
    "cache-control": isHtml ? "no-store" : "no-cache",
  });
  response.end(method === "HEAD" ? undefined : file.body);
}

function signIn(policy: RequestPolicy, ticket: string | null, request: http.IncomingMessage, response: http.ServerResponse): void {
  const signedIn = ticket === null || ticket === "" ? undefined : policy.sessions.redeemTicket(ticket);
  if (signedIn === undefined) {
    sendPage(
      request,
      response,
      403,
      "Sign-in link used or expired",
      "This sign-in link was used already or has expired: a link signs in one browser once, within 60 seconds. Run `tributary server open` again for a new one.",
    );
    return;
  }
  response.writeHead(303, { ...securityHeaders(), location: `/#key=${signedIn.session.sessionKey}`, "set-cookie": sessionCookie(policy.cookieName, signedIn.id), "cache-control": "no-store", "content-length": 0 });
  response.end();
}

function securityHeaders(): Record<string, string> {
  return { "content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY" };
}

/** A small page that says what happened and what to do; it shows nothing of the server's data. */
function sendPage(request: http.IncomingMessage, response: http.ServerResponse, status: number, title: string, message: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Tributary: ${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message).replace(/`([^`]+)`/g, "<code>$1</code>")}</p></body></html>
`;
  response.writeHead(status, { ...securityHeaders(), ...headers, "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html), "cache-control": "no-store" });
  response.end(request.method === "HEAD" ? undefined : html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
