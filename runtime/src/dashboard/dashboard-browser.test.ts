// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real
// server: the one-time link signs the browser in, the page takes the session's key out of the
// address bar into localStorage and lists the runs, live through the stream; then a page of a
// second local origin — the same site for cookies (127.0.0.1, another port), so the browser does
// send it and its server the session cookie — tries to read and to write, by fetch, a form and a
// WebSocket, and its server replays the cookie it received: nothing, judged by what its script
// could read, what the replays got, and what the server stored.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import type { DeploymentRecord, TributaryEvent } from "../orchestrator/contract.js";
import { mintSignInLink } from "../orchestrator/test-support/dashboard-session.js";
import { rawRequestWithHeaders, rawUpgrade } from "../orchestrator/test-support/raw-http.js";
import { ServerWorkspace, type TestServer } from "../orchestrator/test-support/server-harness.js";
import { browserTestsMissing, BUILT_DASHBOARD, launchChromium } from "./test-support/dashboard-browser.js";

/** The attacking page: every attempt's outcome goes into window.outcomes, then window.done is set. */
function attackerPage(api: string): string {
  const script = `
const api = ${JSON.stringify(api)};
const outcomes = {};
const attempt = async (name, run) => {
  try { outcomes[name] = "read: " + (await run()); } catch (error) { outcomes[name] = "blocked: " + error.name; }
};
(async () => {
  await attempt("read runs", async () => (await fetch(api + "/api/flow-runs", { credentials: "include" })).text());
  await attempt("read session", async () => (await fetch(api + "/api/session", { credentials: "include" })).text());
  await attempt("read page", async () => (await fetch(api + "/", { credentials: "include" })).text());
  await attempt("simple POST", async () => (await fetch(api + "/api/deployments/add%2Fdefault/pause", { method: "POST", credentials: "include", headers: { "content-type": "text/plain" }, body: "{}" })).status);
  await attempt("no-cors POST", async () => (await fetch(api + "/api/deployments/add%2Fdefault/pause", { method: "POST", credentials: "include", mode: "no-cors", body: "{}" })).type);
  await attempt("read runs with a guessed key", async () => (await fetch(api + "/api/flow-runs", { credentials: "include", headers: { "x-tributary-session-key": "guess" } })).text());
  await attempt("POST with a guessed key", async () => (await fetch(api + "/api/deployments/add%2Fdefault/pause", { method: "POST", credentials: "include", headers: { "content-type": "application/json", "x-tributary-session-key": "guess" }, body: "{}" })).status);
  for (const [name, protocols] of [["WebSocket", []], ["WebSocket with a guessed key", ["tributary", "key.guess"]]]) {
    await attempt(name, () => new Promise((resolve, reject) => {
      const socket = new WebSocket(api.replace("http", "ws") + "/api/events/stream", protocols);
      socket.onopen = () => resolve("open");
      socket.onerror = () => reject(Object.assign(new Error("refused"), { name: "WebSocketError" }));
    }));
  }
  await attempt("form POST", () => new Promise((resolve) => {
    const frame = document.createElement("iframe");
    frame.name = "sink";
    document.body.append(frame);
    const form = document.createElement("form");
    form.method = "POST";
    form.enctype = "text/plain";
    form.target = "sink";
    form.action = api + "/api/deployments/add%2Fdefault/pause";
    const field = document.createElement("input");
    field.name = '{"a":"';
    field.value = '"}';
    form.append(field);
    document.body.append(form);
    frame.onload = () => {
      try { resolve(frame.contentDocument ? frame.contentDocument.body.textContent : "unreadable"); } catch { resolve("unreadable"); }
    };
    form.submit();
  }));
  window.outcomes = outcomes;
  window.done = true;
})();`;
  return `<!doctype html><html><body><script>${script}</script></body></html>`;
}

describe("the dashboard in Chromium", { skip: browserTestsMissing, timeout: 300_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  let attacker: http.Server;
  let attackerUrl: string;
  /** The Cookie headers the attacking server received from the browser. */
  const cookiesReceived: string[] = [];
  let browser: Browser;
  let context: BrowserContext;
  const runIds: string[] = [];

  before(async () => {
    server = await workspace.start({ scheduler: false, worker: undefined, dashboardDir: BUILT_DASHBOARD });
    await server.register([{ name: "add/default", export: "add" }]);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    for (const flowRunName of ["first-run", "second-run"]) {
      const created = await server.api<{ id: string }>("POST", "/api/deployments/add%2Fdefault/runs", { scheduledTime: later, flowRunName });
      runIds.push(created.body.id);
    }
    attacker = http.createServer((request, response) => {
      if (request.headers.cookie !== undefined) cookiesReceived.push(request.headers.cookie);
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(attackerPage(server.url));
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    browser = await launchChromium();
    context = await browser.newContext();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await server?.close();
    await workspace.dispose();
  });

  it("the one-time link signs the browser in, the key leaves the address bar, and the dashboard lists the runs, live", async () => {
    const page = await context.newPage();
    const link = await mintSignInLink(server.url, server.token);
    const response = await page.goto(link.url, { timeout: 60_000 });
    assert.equal(new URL(page.url()).pathname, "/", "sent on to the dashboard");
    assert.equal(response?.status(), 200);
    const items = page.locator("#flow-runs tbody tr");
    await items.nth(1).waitFor({ timeout: 60_000 });
    assert.deepEqual((await page.locator("#flow-runs tbody tr .run-name").allTextContents()).sort(), ["add / first-run", "add / second-run"]);
    assert.deepEqual(await page.locator("#flow-runs tbody tr .state").allTextContents(), ["Scheduled", "Scheduled"]);
    assert.deepEqual((await items.evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.flowRunId))).sort(), [...runIds].sort());
    assert.equal(page.url(), `${server.url}/`, "the fragment with the key is gone from the address bar");

    // The stream, opened with the key as a subprotocol, brings a new run onto the list.
    await page.locator("body[data-stream=open]").waitFor({ state: "attached", timeout: 60_000 });
    const later = new Date(Date.now() + 86_400_000).toISOString();
    runIds.push((await server.api<{ id: string }>("POST", "/api/deployments/add%2Fdefault/runs", { scheduledTime: later, flowRunName: "third-run" })).body.id);
    await page.locator("#flow-runs tbody tr", { hasText: "third-run" }).waitFor({ timeout: 60_000 });
    const cookies = await context.cookies(server.url);
    assert.equal(cookies.length, 1);
    assert.equal(cookies[0]!.httpOnly, true);
    assert.equal(cookies[0]!.sameSite, "Strict");
    assert.equal(await page.evaluate(() => document.cookie), "", "page scripts cannot read the session");

    const again = await context.newPage();
    await again.goto(link.url, { timeout: 60_000 });
    assert.match((await again.locator("body").textContent()) ?? "", /used already or has expired/);
    await again.close();

    // A new tab finds the key in localStorage; a forged fragment (another page can open one) is
    // tried, dropped, and the stored key kept.
    for (const url of [`${server.url}/`, `${server.url}/#key=forged`]) {
      const tab = await context.newPage();
      await tab.goto(url, { timeout: 60_000 });
      await tab.locator("#flow-runs tbody tr").nth(2).waitFor({ timeout: 60_000 });
      assert.equal(tab.url(), `${server.url}/`, url);
      await tab.close();
    }
    await page.close();
  });

  it("a page of a second local origin, with the session cookie in the same browser, can neither read nor write anything", async () => {
    const stored = async () => ({
      runs: (await server.api<{ id: string; state: { name: string } }[]>("GET", "/api/flow-runs")).body,
      deployment: (await server.api<DeploymentRecord>("GET", "/api/deployments/add%2Fdefault")).body,
      events: (await server.api<TributaryEvent[]>("GET", "/api/events")).body.map((event) => event.id),
    });
    const before = await stored();
    assert.ok((await context.cookies(server.url)).length === 1, "the browser is signed in");
    const page = await context.newPage();
    await page.goto(attackerUrl, { timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 60_000 });
    const outcomes = await page.evaluate(() => (window as unknown as { outcomes: Record<string, string> }).outcomes);
    for (const [name, outcome] of Object.entries(outcomes)) {
      if (name === "no-cors POST") assert.equal(outcome, "read: opaque", "an opaque answer: nothing to read");
      else if (name === "form POST") assert.equal(outcome, "read: unreadable", "the answer went into a frame of another origin");
      else assert.match(outcome, /^blocked: /, `${name}: ${outcome}`);
    }

    // Its server received the session cookie with the page: replayed without an Origin, as curl
    // would, it reads, streams and changes nothing.
    const port = new URL(server.url).port;
    const cookie = cookiesReceived.flatMap((header) => header.split(";")).map((part) => part.trim()).find((part) => part.startsWith(`tributary_session_${port}=`));
    assert.ok(cookie, `the browser sent the session cookie to the other port: ${JSON.stringify(cookiesReceived)}`);
    for (const path of ["/api/flow-runs", "/api/session"]) {
      const read = await rawRequestWithHeaders(server.url, "GET", path, { cookie });
      assert.equal(read.status, 401, `${path}: ${read.text}`);
      assert.match(read.text, /SESSION_KEY_REQUIRED/);
    }
    const write = await rawRequestWithHeaders(server.url, "POST", "/api/deployments/add%2Fdefault/pause", { cookie });
    assert.equal(write.status, 401, write.text);
    const stream = await rawUpgrade(server.url, "/api/events/stream", { cookie });
    stream.socket.destroy();
    assert.equal(stream.status, 401);
    assert.equal((await rawRequestWithHeaders(server.url, "GET", "/", { cookie })).status, 200, "the page alone, which holds no data");

    assert.deepEqual(await stored(), before, "no run, deployment or event changed");
    assert.equal(before.deployment.paused, false);
    await page.close();
  });
});
