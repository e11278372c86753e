/**
 * For tests of the dashboard's sign-in: a one-time link minted with the token, and a session
 * signed in with it as a browser would (the cookie of the 303, then GET /api/session).
 */
import assert from "node:assert/strict";
import type { SessionInfo, SignInTicket } from "../contract.js";
import { rawRequestWithHeaders } from "./raw-http.js";

export interface SignedInSession {
  /** `tributary_session_<port>=<id>`: the `Cookie` header a browser sends. */
  cookie: string;
  csrfToken: string;
}

/** Mints a sign-in link with `token`. */
export async function mintSignInLink(url: string, token: string): Promise<SignInTicket> {
  const response = await fetch(`${url}/api/sessions/tickets`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as SignInTicket;
}

/** Follows a fresh sign-in link as a browser and reads the session's CSRF token. */
export async function signIn(url: string, token: string): Promise<SignedInSession> {
  const link = new URL((await mintSignInLink(url, token)).url);
  const answer = await rawRequestWithHeaders(url, "GET", `${link.pathname}${link.search}`, {});
  assert.equal(answer.status, 303, answer.text);
  const cookie = String(answer.headers["set-cookie"]).split(";")[0]!;
  const session = await rawRequestWithHeaders(url, "GET", "/api/session", { cookie });
  assert.equal(session.status, 200, session.text);
  return { cookie, csrfToken: (JSON.parse(session.text) as SessionInfo).csrfToken };
}
