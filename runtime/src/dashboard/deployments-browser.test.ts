// The Deployments views in a real browser (Debian's Chromium through playwright-core) against a
// real server: the Run form made from the flow's parameter schema refuses a wrong type naming the
// parameter before any request, a right value makes a run with it and opens the run's page; the
// list says each schedule in words, and pauses and resumes a deployment as the server records it;
// Workers leads from a worker to the runs it claimed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import type { DeploymentRecord, ListedFlowRun, ListedWorker } from "../orchestrator/contract.js";
import { builtWorker, ServerWorkspace, type TestServer } from "../orchestrator/test-support/server-harness.js";
import { makeState } from "../states.js";
import type { FlowRunRecord } from "../store/records.js";
import { newRunId } from "../store/run-ids.js";
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

  it("Workers links a worker to the runs it claimed: Flow Runs filtered by it, by page and live, none of another; a run's page names its worker", async () => {
    // A server of its own whose worker serves the "gpu" pool only: the default pool's runs stay Scheduled, claimed by no worker.
    const own = new ServerWorkspace();
    const served = await own.start({ scheduler: false, automationEngine: false, worker: { ...builtWorker, pools: ["gpu"] }, dashboardDir: BUILT_DASHBOARD });
    try {
      await served.subscribe();
      await served.register([
        { name: "add/on-gpu", export: "add", pool: "gpu" },
        { name: "add/anywhere", export: "add" },
      ]);
      const create = async (deployment: string) => {
        const created = await served.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, {});
        assert.equal(created.status, 201, JSON.stringify(created.body));
        return created.body;
      };
      const [worker, ...others] = (await served.api<ListedWorker[]>("GET", "/api/workers")).body;
      assert.ok(worker !== undefined && others.length === 0, "the server's own worker, alone");
      // An older history of 55 finished runs of this worker, as a long-lived one has: two pages.
      const start = Date.parse("2026-01-01T00:00:00.000Z");
      for (let i = 0; i < 55; i++) {
        const at = start + i * 60_000;
        served.store.createFlowRun({ id: newRunId(at), name: `older-${i}`, flowName: "add", workerName: worker.name, state: makeState("Completed", new Date(at)), parameters: {}, tags: [], runCount: 1, createdAt: new Date(at).toISOString() });
      }
      const executed = await create("add/on-gpu");
      await served.waitForRunState(executed.id, "Completed");
      const unclaimed = await create("add/anywhere");

      const page = await signedInPage(context, served.url, served.token);
      await page.locator(`#flow-runs tbody tr[data-flow-run-id="${unclaimed.id}"]`).waitFor({ timeout: 60_000 });
      await page.getByRole("link", { name: "Workers" }).click();
      const row = page.locator(`#workers tr[data-worker="${worker.name}"]`);
      const link = page.getByRole("link", { name: `${worker.name}: the flow runs it claimed` });
      await link.waitFor({ timeout: 60_000 });
      assert.equal(await link.getAttribute("href"), `#/?worker=${encodeURIComponent(worker.name)}`);
      await screenshot(page, "workers");
      // From the keyboard: the link keeps the focus when the list is read again (every 5 s), and Enter follows it.
      await link.focus();
      const drawn = await row.elementHandle();
      await drawn!.waitForElementState("hidden", { timeout: 60_000 });
      await page.locator(`#workers tr[data-worker="${worker.name}"] a:focus`).waitFor({ timeout: 60_000 });
      await page.keyboard.press("Enter");
      await page.locator("#flow-runs-status", { hasText: "matching the filters" }).waitFor({ timeout: 60_000 });
      assert.equal(new URL(page.url()).hash, `#/?worker=${encodeURIComponent(worker.name)}`);
      assert.equal(await page.getByLabel("Worker", { exact: true }).inputValue(), worker.name, "the filter is shown, to be changed or cleared");

      const rows = page.locator("#flow-runs tbody tr");
      const ids = () => rows.evaluateAll((list) => list.map((r) => (r as HTMLElement).dataset.flowRunId));
      await rows.nth(49).waitFor({ timeout: 60_000 });
      assert.equal((await ids())[0], executed.id, "the run it executed, newest first");
      await screenshot(page, "flow-runs-of-worker");
      assert.ok(!(await ids()).includes(unclaimed.id), "not a run it did not claim");
      // The next page keeps the filter.
      await page.getByRole("button", { name: "Load more" }).click();
      await page.getByRole("button", { name: "Load more" }).waitFor({ state: "hidden", timeout: 60_000 });
      const all = (await served.api<FlowRunRecord[]>("GET", `/api/flow-runs?worker=${encodeURIComponent(worker.name)}&limit=1000`)).body;
      assert.equal(all.length, 56);
      assert.deepEqual(await ids(), all.map((run) => run.id), "every run of the worker once, newest first");

      // Live: a run it did not claim stays off; the one it claims next comes in at the top. The other's
      // events came first on the one stream, so once this row is in, they have been seen.
      await page.locator("body[data-stream=open]").waitFor({ state: "attached", timeout: 60_000 });
      const elsewhere = await create("add/anywhere");
      const next = await create("add/on-gpu");
      await page.locator(`#flow-runs tbody tr[data-flow-run-id="${next.id}"][data-state=Completed]`).waitFor({ timeout: 60_000 });
      assert.equal((await ids())[0], next.id);
      assert.equal(await page.locator(`#flow-runs tbody tr[data-flow-run-id="${elsewhere.id}"]`).count(), 0);

      // The run's page names the worker, linking to Workers; a run no worker claimed names none.
      await page.locator(`#flow-runs tbody tr[data-flow-run-id="${executed.id}"] .run-name a`).click();
      const named = page.locator("#run-worker");
      await named.waitFor({ timeout: 60_000 });
      assert.equal(await named.textContent(), worker.name);
      await screenshot(page, "flow-run-of-worker");
      await named.click();
      await link.waitFor({ timeout: 60_000 });
      await page.goto(`${served.url}/#/runs/${unclaimed.id}`);
      await page.locator("#run-state[data-state=Scheduled]").waitFor({ timeout: 60_000 });
      assert.equal(await page.locator("#run-worker").count(), 0);

      // Clear drops the filter: every run again.
      await page.goto(`${served.url}/#/?worker=${encodeURIComponent(worker.name)}`);
      await page.locator(`#flow-runs tbody tr[data-flow-run-id="${next.id}"]`).waitFor({ timeout: 60_000 });
      await page.getByRole("link", { name: "Clear" }).click();
      await page.locator(`#flow-runs tbody tr[data-flow-run-id="${unclaimed.id}"]`).waitFor({ timeout: 60_000 });
      assert.equal(await page.getByLabel("Worker", { exact: true }).inputValue(), "");
      await page.close();
    } finally {
      await served.close();
      await own.dispose();
    }
  });
});
