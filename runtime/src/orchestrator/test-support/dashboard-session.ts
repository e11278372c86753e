/**
 * For tests of the dashboard's sign-in: a one-time link minted with the token, and a session
 * signed in with it as a browser would (the cookie of the 303, and the key of its `/#key=…`).
 */
import assert from "node:assert/strict";
import type { SignInTicket } from "../contract.js";
import { rawRequestWithHeaders } from "./raw-http.js";

export interface SignedInSession {
  /** `tributary_session_<port>=<id>`: the `Cookie` header a browser sends. */
  cookie: string;
  /** The session's key, which the page sends in `X-Tributary-Session-Key`. */
  sessionKey: string;
  /** The headers of a request as the dashboard page sends it: the cookie and the key. */
  headers: { cookie: string; "x-tributary-session-key": string };
}

/** Mints a sign-in link with `token`. */
export async function mintSignInLink(url: string, token: string): Promise<SignInTicket> {
  const response = await fetch(`${url}/api/sessions/tickets`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as SignInTicket;
}

/** Follows a fresh sign-in link as a browser: the cookie it is given and the key of the redirect's fragment. */
export async function signIn(url: string, token: string): Promise<SignedInSession> {
  const link = new URL((await mintSignInLink(url, token)).url);
  const answer = await rawRequestWithHeaders(url, "GET", `${link.pathname}${link.search}`, {});
  assert.equal(answer.status, 303, answer.text);
  const cookie = String(answer.headers["set-cookie"]).split(";")[0]!;
  const sessionKey = /^\/#key=([A-Za-z0-9_-]{43})$/.exec(String(answer.headers.location))?.[1];
  assert.ok(sessionKey, `the redirect carries the key in its fragment: ${answer.headers.location}`);
  const headers = { cookie, "x-tributary-session-key": sessionKey };
  const session = await rawRequestWithHeaders(url, "GET", "/api/session", headers);
  assert.equal(session.status, 200, session.text);
  return { cookie, sessionKey, headers };
}
