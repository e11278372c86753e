// Flow Runs and a run's page in a real browser (Debian's Chromium through playwright-core) against
// a real server whose worker executes the runs: a row follows its run from Running to Completed
// with no reload, a long run is cancelled from its page, and a state filter lists only its runs
// and survives a reload. Every wait is on the page or the stream, never on time.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { makeState } from "../states.js";
import type { FlowRunRecord } from "../store/records.js";
import { newRunId } from "../store/run-ids.js";
import { ServerWorkspace, type TestServer } from "../orchestrator/test-support/server-harness.js";
import { browserTestsMissing, BUILT_DASHBOARD, launchChromium, screenshot, signedInPage } from "./test-support/dashboard-browser.js";

const WAIT = { timeout: 90_000 };

describe("Flow Runs and a run's page in Chromium", { skip: browserTestsMissing, timeout: 300_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  const createRun = async (deployment: string, body: Record<string, unknown> = {}) => {
    const created = await server.api<FlowRunRecord>("POST", `/api/deployments/${encodeURIComponent(deployment)}/runs`, body);
    assert.ok(created.status === 201, JSON.stringify(created.body));
    return created.body;
  };

  before(async () => {
    server = await workspace.start({ scheduler: false, automationEngine: false, dashboardDir: BUILT_DASHBOARD });
    await server.subscribe();
    await server.register([
      { name: "nap/default", export: "nap" },
      { name: "hang/plain", export: "hang" },
      { name: "add/default", export: "add" },
      { name: "with-tasks/default", export: "withTasks" },
    ]);
    browser = await launchChromium();
    context = await browser.newContext();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await workspace.dispose();
  });

  it("a new run comes onto the list and its row goes Running → Completed, with no reload", async () => {
    const page = await signedInPage(context, server.url, server.token);
    await page.locator("body[data-stream=open]").waitFor({ state: "attached", ...WAIT });
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const run = await createRun("nap/default", { parameters: { ms: 2000 }, flowRunName: "napping", tags: ["bench"] });
    const row = page.locator(`#flow-runs tbody tr[data-flow-run-id="${run.id}"]`);
    await page.locator(`#flow-runs tbody tr[data-flow-run-id="${run.id}"][data-state=Running]`).waitFor(WAIT);
    assert.equal(await row.locator(".state").textContent(), "Running", "the state is written, not only coloured");
    await page.locator(`#flow-runs tbody tr[data-flow-run-id="${run.id}"][data-state=Completed]`).waitFor(WAIT);
    await screenshot(page, "flow-runs");
    assert.match((await page.locator("#flow-runs-status").textContent()) ?? "", /^1 flow run, newest first/, "the count follows a run the stream brought");
    assert.equal(await row.locator(".state").textContent(), "Completed");
    assert.equal(await row.locator(".run-name").textContent(), "nap / napping");
    assert.equal(await row.locator(".deployment").textContent(), "nap/default");
    assert.equal(await row.locator(".tags").textContent(), "bench");
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, "the page was not reloaded");

    // The row leads to the run's page, which shows its history and its result.
    await row.locator(".run-name a").click();
    await page.locator("#run-state[data-state=Completed]").waitFor(WAIT);
    assert.equal(new URL(page.url()).hash, `#/runs/${run.id}`);
    assert.deepEqual(await page.locator("#state-history tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.state)), ["Scheduled", "Pending", "Running", "Completed"]);
    assert.match((await page.locator("#run-result pre").textContent()) ?? "", /apiUrl/);
    assert.match((await page.locator("#run-parameters pre").textContent()) ?? "", /"ms": 2000/);
    assert.equal(await page.getByRole("button", { name: "Retry" }).isVisible(), true, "a finished deployment run can be retried");
    assert.equal(await page.getByRole("button", { name: "Cancel" }).isVisible(), false);
    await page.close();
  });

  it("cancels a long run from its page, which shows Cancelled", async () => {
    const run = await createRun("hang/plain", { flowRunName: "hanging" });
    await server.waitForRunState(run.id, "Running");
    const page = await signedInPage(context, server.url, server.token);
    await page.goto(`${server.url}/#/runs/${run.id}`);
    await page.locator("#run-state[data-state=Running]").waitFor(WAIT);
    await page.locator("body[data-stream=open]").waitFor({ state: "attached", ...WAIT });
    const cancel = page.getByRole("button", { name: "Cancel" });
    await cancel.focus();
    await page.keyboard.press("Enter");
    await page.locator("#run-state[data-state=Cancelled]").waitFor(WAIT);
    await page.locator("#state-history tbody tr[data-state=Cancelled]").waitFor(WAIT);
    assert.equal(await cancel.isVisible(), false, "no Cancel for a finished run");
    assert.equal(await page.locator("[role=alert]").textContent(), "");
    assert.equal((await server.api<FlowRunRecord>("GET", `/api/flow-runs/${run.id}`)).body.state.name, "Cancelled");
    await page.close();
  });

  it("a state filter lists only the runs in that state, and a reload keeps it", async () => {
    const done = await createRun("add/default", { flowRunName: "adds-now" });
    await server.waitForRunState(done.id, "Completed");
    const waiting = await createRun("add/default", { flowRunName: "adds-tomorrow", scheduledTime: new Date(Date.now() + 86_400_000).toISOString() });
    const page = await signedInPage(context, server.url, server.token);
    await page.locator(`#flow-runs tbody tr[data-flow-run-id="${waiting.id}"]`).waitFor(WAIT);

    await page.getByLabel("State").selectOption("Completed");
    await page.getByRole("button", { name: "Apply" }).click();
    const status = page.locator("#flow-runs-status", { hasText: "matching the filters" });
    await status.waitFor(WAIT);
    const check = async () => {
      assert.equal(new URL(page.url()).hash, "#/?state=Completed");
      const states = await page.locator("#flow-runs tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.state));
      const completed = (await server.api<FlowRunRecord[]>("GET", "/api/flow-runs?state=Completed")).body;
      assert.ok(states.length >= 2, `the completed runs are listed: ${JSON.stringify(states)}`);
      assert.deepEqual(states, completed.map(() => "Completed"));
      assert.equal(await page.locator(`#flow-runs tbody tr[data-flow-run-id="${done.id}"]`).count(), 1);
      assert.equal(await page.locator(`#flow-runs tbody tr[data-flow-run-id="${waiting.id}"]`).count(), 0);
      assert.equal(await page.getByLabel("State").inputValue(), "Completed");
    };
    await check();
    await page.reload();
    await status.waitFor(WAIT);
    await check();

    // A new run that does not fit the filter stays off the list; one that does comes in at the top.
    await page.locator("body[data-stream=open]").waitFor({ state: "attached", ...WAIT });
    const later = await createRun("add/default", { flowRunName: "adds-later" });
    await page.locator(`#flow-runs tbody tr[data-flow-run-id="${later.id}"]`).waitFor(WAIT);
    assert.equal(await page.locator("#flow-runs tbody tr").first().getAttribute("data-flow-run-id"), later.id);
    assert.equal(await page.locator(`#flow-runs tbody tr[data-flow-run-id="${later.id}"]`).getAttribute("data-state"), "Completed");
    await page.close();
  });

  it("Load more reads the next page by cursor and moves the focus to its first row", async () => {
    // 60 older finished runs, written to the store as a long history would be.
    const start = Date.parse("2026-01-01T00:00:00.000Z");
    for (let i = 0; i < 60; i++) {
      const at = start + i * 60_000;
      server.store.createFlowRun({ id: newRunId(at), name: `old-${i}`, flowName: "old", state: makeState("Completed", new Date(at + 1000)), parameters: {}, tags: [], runCount: 1, createdAt: new Date(at).toISOString(), startTime: new Date(at).toISOString(), endTime: new Date(at + 1000).toISOString() });
    }
    await server.store.flush();
    const all = (await server.api<FlowRunRecord[]>("GET", "/api/flow-runs?limit=1000")).body;
    const page = await signedInPage(context, server.url, server.token);
    const rows = page.locator("#flow-runs tbody tr");
    await rows.nth(49).waitFor(WAIT);
    assert.equal(await rows.count(), 50);
    const more = page.getByRole("button", { name: "Load more" });
    await more.focus();
    await page.keyboard.press("Enter");
    await rows.nth(50).waitFor(WAIT);
    await page.locator("#flow-runs tbody tr:nth-child(51) a:focus").waitFor(WAIT);
    // 60 + the runs of the tests before: the second page is the last, shorter than 50.
    await more.waitFor({ state: "hidden", ...WAIT });
    const ids = await rows.evaluateAll((list) => list.map((r) => (r as HTMLElement).dataset.flowRunId));
    assert.deepEqual(ids, all.map((run) => run.id), "every run once, newest first");
    await page.close();
  });

  it("a run's page opened as the run starts shows its task runs and its log line once each, read or followed", async () => {
    const page = await signedInPage(context, server.url, server.token);
    await page.locator("body[data-stream=open]").waitFor({ state: "attached", ...WAIT });
    const run = await createRun("with-tasks/default", { parameters: { n: 3 } });
    await page.goto(`${server.url}/#/runs/${run.id}`);
    await page.locator("#run-state[data-state=Completed]").waitFor(WAIT);
    await page.locator("#task-runs tbody tr[data-state=Completed]").nth(1).waitFor(WAIT);
    assert.equal(await page.locator("#task-runs tbody tr").count(), 2);
    await page.locator("#run-logs li", { hasText: "doubling 3 twice" }).waitFor(WAIT);
    await screenshot(page, "flow-run");
    assert.equal(await page.locator("#run-logs li", { hasText: "doubling 3 twice" }).count(), 1, "the stored line and the streamed one are one line");
    assert.equal(await page.locator("#run-result pre").textContent(), "12");
    assert.match((await page.locator("#run-chain").textContent()) ?? "", /with-tasks\/default/);
    await page.close();
  });

  it("follows the system's dark scheme", async () => {
    const dark = await browser.newContext({ colorScheme: "dark" });
    const page = await signedInPage(dark, server.url, server.token);
    await page.locator("#flow-runs tbody tr").first().waitFor(WAIT);
    const colours = await page.evaluate(() => ({ body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.body).color }));
    assert.deepEqual(colours, { body: "rgb(13, 17, 23)", text: "rgb(230, 237, 243)" }, "the dark palette of dashboard.css");
    await screenshot(page, "flow-runs-dark");
    await dark.close();
  });
});
