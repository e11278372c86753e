// The dashboard's sign-in and pages against a real server in this process: the one-time link, the
// session cookie and its key, the pages' headers, and what a page of another origin, a server on
// another port replaying the cookie, a rebinding DNS name or a crafted path gets (nothing). Time is
// a ManualClock: expiry without waits.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { ManualClock } from "../engine/manual-clock.js";
import type { TributaryEvent } from "./contract.js";
import { CONTENT_SECURITY_POLICY } from "./dashboard-http.js";
import { SESSION_IDLE_MS, TICKET_TTL_MS } from "./dashboard-sessions.js";
import { mintSignInLink, signIn } from "./test-support/dashboard-session.js";
import { rawUpgrade, rawRequestWithHeaders as request } from "./test-support/raw-http.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

const SECRET = "secret-outside-the-dashboard";

describe("the dashboard's sign-in and pages", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  const clock = new ManualClock(new Date());
  const dashboardDir = mkdtempSync(path.join(os.tmpdir(), "tributary-dashboard-"));
  let server: TestServer;
  let own: string;
  const json = (text: string) => JSON.parse(text) as { error?: { code: string; message: string } } & Record<string, unknown>;

  before(async () => {
    mkdirSync(path.join(dashboardDir, "site/assets"), { recursive: true });
    writeFileSync(path.join(dashboardDir, "site/index.html"), "<!doctype html><title>dash</title>");
    writeFileSync(path.join(dashboardDir, "site/assets/app.js"), "console.log(1);");
    writeFileSync(path.join(dashboardDir, "site/notes.txt"), "not a type the dashboard serves");
    writeFileSync(path.join(dashboardDir, "secret.json"), JSON.stringify(SECRET));
    symlinkSync(path.join(dashboardDir, "secret.json"), path.join(dashboardDir, "site/linked.json"));
    server = await workspace.start({ scheduler: false, worker: undefined, clock, dashboardDir: path.join(dashboardDir, "site"), allowedOrigins: ["http://localhost:5173"] });
    own = `http://${new URL(server.url).host}`;
    await server.register([{ name: "add/default", export: "add" }]);
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it("a sign-in link signs in once: a session cookie (HttpOnly, SameSite=Strict) and a 303 to / with the session's key in the fragment", async () => {
    const link = await mintSignInLink(server.url, server.token);
    assert.equal(Date.parse(link.expiresAt), clock.now().getTime() + TICKET_TTL_MS);
    const url = new URL(link.url);
    assert.equal(url.origin, server.url);
    assert.equal(url.pathname, "/sign-in");
    const first = await request(server.url, "GET", `${url.pathname}${url.search}`, {});
    assert.equal(first.status, 303);
    const key = /^\/#key=([A-Za-z0-9_-]{43})$/.exec(first.headers.location ?? "")?.[1];
    assert.ok(key, `the key rides in the fragment, which no server is sent: ${first.headers.location}`);
    const cookie = first.headers["set-cookie"]!;
    assert.equal(cookie.length, 1);
    assert.match(cookie[0]!, new RegExp(`^tributary_session_${url.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`), "no Secure over http");
    assert.ok(!cookie[0]!.includes(key), "the key is not the cookie");
    assert.equal(first.headers["cache-control"], "no-store");
    assert.equal(first.headers["referrer-policy"], "no-referrer");

    const again = await request(server.url, "GET", `${url.pathname}${url.search}`, {});
    assert.equal(again.status, 403);
    assert.match(again.headers["content-type"]!, /^text\/html/);
    assert.match(again.text, /used already or has expired.*tributary server open/s);
    assert.equal(again.headers["set-cookie"], undefined);

    const late = new URL((await mintSignInLink(server.url, server.token)).url);
    clock.advance(TICKET_TTL_MS);
    assert.equal((await request(server.url, "GET", `${late.pathname}${late.search}`, {})).status, 403, "expired after 60 s");
    for (const query of ["", "?ticket=", "?ticket=made-up"]) assert.equal((await request(server.url, "GET", `/sign-in${query}`, {})).status, 403, query);
  });

  it("with the session: the pages with a strict CSP, and the API, reads and writes, with the cookie and the key", async () => {
    const { cookie, sessionKey, headers } = await signIn(server.url, server.token);
    const page = await request(server.url, "GET", "/", { cookie });
    assert.equal(page.status, 200);
    assert.equal(page.text, "<!doctype html><title>dash</title>");
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(page.headers["content-security-policy"], CONTENT_SECURITY_POLICY);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    assert.equal(page.headers["referrer-policy"], "no-referrer");
    assert.equal(page.headers["cache-control"], "no-store");
    const script = await request(server.url, "GET", "/assets/app.js", { cookie });
    assert.equal(script.status, 200);
    assert.equal(script.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal((await request(server.url, "HEAD", "/index.html", { cookie })).status, 200);

    assert.equal((await request(server.url, "GET", "/api/flow-runs?limit=20", headers)).status, 200);
    assert.equal((await request(server.url, "GET", "/api/deployments", { ...headers, origin: own })).status, 200, "the server's own page");
    const session = await request(server.url, "GET", "/api/session", headers);
    assert.deepEqual(Object.keys(json(session.text)), ["expiresAt"], "GET /api/session never hands out the key");
    assert.ok(!session.text.includes(sessionKey));
    const unknown = await request(server.url, "GET", "/api/no-such-route", headers);
    assert.equal(unknown.status, 404);
    assert.equal(json(unknown.text).error?.code, "NOT_FOUND", "an unknown API path answers JSON, not a page");

    const pause = (headers: Record<string, string>) => request(server.url, "POST", "/api/deployments/add%2Fdefault/pause", headers);
    const refused = await pause({ cookie, origin: own });
    assert.equal(refused.status, 401);
    assert.equal(json(refused.text).error?.code, "SESSION_KEY_REQUIRED");
    assert.match(json(refused.text).error!.message, /X-Tributary-Session-Key.*none was sent.*tributary server open/);
    assert.equal((await server.api<{ paused: boolean }>("GET", "/api/deployments/add%2Fdefault")).body.paused, false, "nothing changed");
    const paused = await pause({ ...headers, origin: own });
    assert.equal(paused.status, 200, paused.text);
    assert.equal(json(paused.text).paused, true);
    assert.equal((await request(server.url, "POST", "/api/deployments/add%2Fdefault/resume", headers)).status, 200);

    const mint = await request(server.url, "POST", "/api/sessions/tickets", headers);
    assert.equal(mint.status, 403, "a session cannot mint sign-in links");
    assert.equal(json(mint.text).error?.code, "TOKEN_REQUIRED");
    const withToken = await request(server.url, "GET", "/api/session", { authorization: `Bearer ${server.token}` });
    assert.equal(json(withToken.text).error?.code, "NO_SESSION");
  });

  it("without a session every page is a 401 that only says how to sign in, and the API a JSON 401", async () => {
    for (const page of ["/", "/index.html", "/assets/app.js", "/no-such-page", "/../secret.json"]) {
      for (const headers of [{}, { cookie: `tributary_session_${new URL(server.url).port}=made-up` }, { authorization: `Bearer ${server.token}` }] as Record<string, string>[]) {
        const answer = await request(server.url, "GET", page, headers);
        assert.equal(answer.status, 401, `${page} ${JSON.stringify(headers)}`);
        assert.match(answer.text, /Sign in with the link <code>tributary server open<\/code> prints/);
        assert.doesNotMatch(answer.text, /dash<\/title>|console\.log|secret/);
        assert.equal(answer.headers["content-security-policy"], CONTENT_SECURITY_POLICY);
      }
    }
    const api = await request(server.url, "GET", "/api/flow-runs", {});
    assert.equal(api.status, 401);
    assert.equal(json(api.text).error?.code, "UNAUTHORIZED");
    assert.match(json(api.text).error!.message, /tributary server open/);
  });

  it("another origin, even an allowed one, and a rebinding Host get nothing with the cookie, even with the key; the link is not used up by them", async () => {
    const { cookie, headers } = await signIn(server.url, server.token);
    for (const origin of ["http://127.0.0.1:1", "http://localhost:5173", "null"]) {
      const read = await request(server.url, "GET", "/api/flow-runs", { ...headers, origin });
      assert.equal(read.status, 403, origin);
      assert.equal(json(read.text).error?.code, "FORBIDDEN_ORIGIN");
      const write = await request(server.url, "POST", "/api/deployments/add%2Fdefault/pause", { ...headers, origin });
      assert.equal(write.status, 403, origin);
    }
    const allowedWithToken = await request(server.url, "GET", "/api/flow-runs", { authorization: `Bearer ${server.token}`, origin: "http://localhost:5173" });
    assert.equal(allowedWithToken.status, 200, "an allowed origin still calls with the token");
    assert.equal((await server.api<{ paused: boolean }>("GET", "/api/deployments/add%2Fdefault")).body.paused, false, "nothing changed");

    const rebinding = { host: `attacker.example:${new URL(server.url).port}` };
    assert.equal((await request(server.url, "GET", "/", { ...rebinding, cookie })).status, 403);
    assert.equal((await request(server.url, "GET", "/api/session", { ...rebinding, ...headers })).status, 403);
    const link = new URL((await mintSignInLink(server.url, server.token)).url);
    const path = `${link.pathname}${link.search}`;
    assert.equal((await request(server.url, "GET", path, rebinding)).status, 403, "a rebinding name cannot use a link");
    assert.equal((await request(server.url, "GET", path, { origin: "http://127.0.0.1:1" })).status, 403, "nor another site's page");
    assert.equal((await request(server.url, "GET", path, {})).status, 303, "the link still works for the user");
  });

  it("serves only the dashboard's own files: no traversal, no encoded dots, no symlink out, no other types", async () => {
    const { cookie } = await signIn(server.url, server.token);
    for (const page of ["/../secret.json", "/assets/../../secret.json", "/%2e%2e/secret.json", "/..%2fsecret.json", "/assets%2fapp.js", "//secret.json", "/.%2e/secret.json", "/linked.json", "/notes.txt", "/assets\\app.js", "/index.html%00.js"]) {
      const answer = await request(server.url, "GET", page, { cookie });
      assert.ok(answer.status === 400 || answer.status === 404, `${page}: ${answer.status}`);
      assert.doesNotMatch(answer.text, new RegExp(SECRET), page);
      assert.match(answer.headers["content-type"]!, /^text\/html/);
    }
    const post = await request(server.url, "POST", "/", { cookie });
    assert.equal(post.status, 405);
  });

  it("a server on another port that received the cookie and replays it (no Origin, no key) gets the data-free pages only", async () => {
    const { cookie, sessionKey } = await signIn(server.url, server.token);
    for (const extra of [{}, { "x-tributary-session-key": "guessed" }, { "x-tributary-session-key": cookie.split("=")[1]! }] as Record<string, string>[]) {
      for (const path of ["/api/flow-runs", "/api/session", "/api/deployments/add%2Fdefault", "/api/events"]) {
        const read = await request(server.url, "GET", path, { cookie, ...extra });
        assert.equal(read.status, 401, `${path} ${JSON.stringify(extra)}: ${read.text}`);
        assert.equal(json(read.text).error?.code, "SESSION_KEY_REQUIRED");
        assert.ok(!read.text.includes(sessionKey), "the answer holds no key");
        assert.match(json(read.text).error!.message, /X-Tributary-Session-Key.*sign in again with the link `tributary server open` prints/);
      }
      const write = await request(server.url, "POST", "/api/deployments/add%2Fdefault/pause", { cookie, ...extra });
      assert.equal(write.status, 401, write.text);
      assert.equal((await request(server.url, "DELETE", "/api/session", { cookie, ...extra })).status, 401, "nor sign the user out");
    }
    assert.equal((await server.api<{ paused: boolean }>("GET", "/api/deployments/add%2Fdefault")).body.paused, false, "nothing changed");

    const stream = (headers: Record<string, string>) => rawUpgrade(server.url, "/api/events/stream", headers);
    for (const [what, headers] of [
      ["the cookie alone", { cookie }],
      ["the key in a header (the stream takes it as a subprotocol only)", { cookie, "x-tributary-session-key": sessionKey }],
      ["a wrong key", { cookie, "sec-websocket-protocol": "tributary, key.guessed" }],
      ["two keys", { cookie, "sec-websocket-protocol": `tributary, key.guessed, key.${sessionKey}` }],
    ] as [string, Record<string, string>][]) {
      const refused = await stream(headers);
      refused.socket.destroy();
      assert.equal(refused.status, 401, what);
      assert.doesNotMatch(refused.head, /sec-websocket-protocol/i, what);
    }
    const accepted = await stream({ cookie, "sec-websocket-protocol": `tributary, key.${sessionKey}` });
    accepted.socket.destroy();
    assert.equal(accepted.status, 101);
    assert.match(accepted.head, /\r\nSec-WebSocket-Protocol: tributary(\r\n|$)/i, "the server selects `tributary`, never the key");

    const page = await request(server.url, "GET", "/", { cookie });
    assert.equal(page.status, 200, "the page opens with the cookie alone: it holds no data");
    assert.equal(page.text, "<!doctype html><title>dash</title>");
    assert.equal((await request(server.url, "GET", "/api/session", { cookie, "x-tributary-session-key": sessionKey })).status, 200, "the user's session still works");
  });

  it("the event stream takes the session cookie with its key as a subprotocol from the server's own page, and selects `tributary`", async () => {
    const { cookie, sessionKey } = await signIn(server.url, server.token);
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/events/stream`, ["tributary", `key.${sessionKey}`], { headers: { cookie, origin: own } });
    const events: TributaryEvent[] = [];
    const received = new Promise<TributaryEvent>((resolve) => socket.on("message", (data) => resolve(JSON.parse(String(data)) as TributaryEvent)));
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    assert.equal(socket.protocol, "tributary", "the key is never echoed back");
    await server.api("POST", "/api/events", { event: "dashboard.test", resource: { id: "r" } });
    events.push(await received);
    socket.terminate();
    assert.equal(events[0]?.event, "dashboard.test");
  });

  it("a session ends on sign-out (the cookie is cleared) and after 12 hours unused", async () => {
    const signedOut = await signIn(server.url, server.token);
    const out = await request(server.url, "DELETE", "/api/session", signedOut.headers);
    assert.equal(out.status, 200, out.text);
    assert.match(out.headers["set-cookie"]![0]!, /^tributary_session_\d+=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/);
    const after = await request(server.url, "GET", "/api/flow-runs", signedOut.headers);
    assert.equal(after.status, 401);
    assert.match(json(after.text).error!.message, /session has ended/);
    assert.equal((await request(server.url, "GET", "/", { cookie: signedOut.cookie })).status, 401);

    const idle = await signIn(server.url, server.token);
    clock.advance(SESSION_IDLE_MS);
    assert.equal((await request(server.url, "GET", "/", { cookie: idle.cookie })).status, 401);
  });
});
