// The Deployments views in a real browser (Debian's Chromium through playwright-core) against a
// real server: the Run form made from the flow's parameter schema refuses a wrong type naming the
// parameter before any request, a right value makes a run with it and opens the run's page; the
// list says each schedule in words, and pauses and resumes a deployment as the server records it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import type { DeploymentRecord, ListedFlowRun } from "../orchestrator/contract.js";
import { ServerWorkspace, type TestServer } from "../orchestrator/test-support/server-harness.js";
import { browserTestsMissing, BUILT_DASHBOARD, launchChromium, screenshot, signedInPage } from "./test-support/dashboard-browser.js";

/** The schema `tributary deploy` reads from `add`'s types (test-fixtures/server/deployed-flows.ts), with hints. */
const ADD_SCHEMA = {
  type: "object",
  properties: { a: { type: "number", description: "The first number" }, b: { type: "number", default: 2 } },
  additionalProperties: false,
};

describe("the Deployments views in Chromium", { skip: browserTestsMissing, timeout: 300_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    // No worker: a run made stays Scheduled, and the test reads it as the form sent it.
    server = await workspace.start({ scheduler: false, worker: undefined, dashboardDir: BUILT_DASHBOARD });
    await server.register([
      { name: "add/typed", export: "add", parameterSchema: ADD_SCHEMA },
      { name: "add/hourly", export: "add", parameterSchema: ADD_SCHEMA, schedules: [{ interval: "1h" }] },
    ]);
    browser = await launchChromium();
    context = await browser.newContext();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await workspace.dispose();
  });

  const runsOf = async (name: string) => (await server.api<ListedFlowRun[]>("GET", `/api/flow-runs?deploymentName=${encodeURIComponent(name)}`)).body;

  it("the Run form refuses a wrong type naming the parameter, sends nothing, then runs with a right value and opens the run", async () => {
    const page = await signedInPage(context, server.url, server.token);
    const runRequests: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") runRequests.push(request.url());
    });
    await page.goto(`${server.url}/#/deployments/add%2Ftyped`, { timeout: 60_000 });
    const a = page.getByLabel("a (number)");
    await a.waitFor({ timeout: 60_000 });
    assert.equal(await page.getByLabel("b (number)").inputValue(), "2", "the schema's default is prefilled");
    assert.equal(await a.getAttribute("aria-describedby").then((id) => page.locator(`#${id}`).textContent()), "The first number");

    await a.fill("abc");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const error = page.locator("#run-form-error");
    await error.filter({ hasText: 'Parameter "a" must be a number, got "abc".' }).waitFor({ timeout: 60_000 });
    assert.equal(await a.getAttribute("aria-invalid"), "true");
    assert.ok(await a.evaluate((element) => element === document.activeElement), "the bad field has the focus");
    assert.deepEqual(runRequests, [], "no request was sent");
    assert.deepEqual(await runsOf("add/typed"), [], "the server stored no run");
    await screenshot(page, "deployment-run-form");

    await a.fill("5");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.waitForURL(/#\/runs\/[^/]+$/, { timeout: 60_000 });
    const runs = await runsOf("add/typed");
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]!.parameters, { a: 5, b: 2 });
    assert.equal(new URL(page.url()).hash, `#/runs/${runs[0]!.id}`);
    assert.equal(runRequests.length, 1, "one request, for the one run");
    await page.close();
  });

  it("the list says schedules in words, and pauses and resumes a deployment as the server records it", async () => {
    const page = await signedInPage(context, server.url, server.token);
    await page.getByRole("link", { name: "Deployments" }).click();
    const hourly = page.locator('#deployments tr[data-deployment="add/hourly"]');
    await hourly.waitFor({ timeout: 60_000 });
    assert.equal(await hourly.locator(".schedule").textContent(), "every hour");
    assert.match((await hourly.locator(".next-run").textContent()) ?? "", /^in \d+ (min|s)/);
    const typed = page.locator('#deployments tr[data-deployment="add/typed"]');
    await typed.locator(".last-run", { hasText: "Scheduled" }).waitFor({ timeout: 60_000 });
    await screenshot(page, "deployments");
    assert.equal(await typed.locator(".paused-state").textContent(), "Active");

    await page.getByRole("button", { name: "Pause add/typed" }).click();
    await typed.locator(".paused-state", { hasText: "Paused" }).waitFor({ timeout: 60_000 });
    assert.equal((await server.api<DeploymentRecord>("GET", "/api/deployments/add%2Ftyped")).body.paused, true);
    await page.getByRole("button", { name: "Resume add/typed" }).click();
    await typed.locator(".paused-state", { hasText: "Active" }).waitFor({ timeout: 60_000 });
    assert.equal((await server.api<DeploymentRecord>("GET", "/api/deployments/add%2Ftyped")).body.paused, false);

    // Paused by another client (the CLI), the row follows the stream.
    await page.locator("body[data-stream=open]").waitFor({ state: "attached", timeout: 60_000 });
    await server.api("POST", "/api/deployments/add%2Fhourly/pause");
    await hourly.locator(".paused-state", { hasText: "Paused" }).waitFor({ timeout: 60_000 });
    assert.equal(await hourly.locator(".next-run").textContent(), "none while paused");
    await page.close();
  });

  it("Automations says what each links, when it last fired and what it started; Workers lists the workers", async () => {
    const automation = { name: "on-ping", trigger: { type: "event", expect: ["test.ping"] }, actions: [{ type: "run-deployment", deployment: "add/typed", parameters: { a: 1 } }] };
    assert.equal((await server.api("POST", "/api/automations", { automations: [automation] })).status, 200);
    const page = await signedInPage(context, server.url, server.token);
    await page.getByRole("link", { name: "Automations" }).click();
    const card = page.locator('#automations [data-automation="on-ping"]');
    await card.waitFor({ timeout: 60_000 });
    assert.equal(await card.locator(".trigger").textContent(), 'on an event "test.ping"');
    assert.equal(await card.locator(".actions").textContent(), 'run deployment "add/typed" with {"a":1}');
    assert.equal(await card.locator(".last-fired").textContent(), "never");

    await page.locator("body[data-stream=open]").waitFor({ state: "attached", timeout: 60_000 });
    await server.api("POST", "/api/events", { event: "test.ping", resource: { id: "test.source" } });
    await card.locator(".last-fired", { hasText: "on test.ping" }).waitFor({ timeout: 60_000 });
    const started = (await runsOf("add/typed")).filter((run) => run.chain?.some((link) => link.kind === "automation"));
    assert.equal(started.length, 1, "the automation started one run");
    await card.locator(`.started [data-flow-run-id="${started[0]!.id}"]`).waitFor({ timeout: 60_000 });

    await page.getByRole("button", { name: "Pause on-ping" }).click();
    await card.locator(".badge", { hasText: "Paused" }).waitFor({ timeout: 60_000 });
    assert.equal((await server.api<{ enabled: boolean }>("GET", "/api/automations/on-ping")).body.enabled, false);
    await page.getByRole("button", { name: "Resume on-ping" }).click();
    await card.locator(".badge", { hasText: "Active" }).waitFor({ timeout: 60_000 });

    await page.getByRole("link", { name: "Workers" }).click();
    await page.locator("#workers").waitFor({ timeout: 60_000 });
    await page.getByText("No workers yet", { exact: false }).waitFor({ timeout: 60_000 });
    await page.close();
  });
});
