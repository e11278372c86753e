// The dashboard's Flow Runs view over a store of 100,000 runs, in Chromium (Debian's, through
// playwright-core) against a real server with the built dashboard: first paint (navigation start →
// the first rows in the DOM, the page's own performance mark) and state change → row changed (a
// POST made by the page itself, until the row's data-state is the new state; the page's clock on
// both ends). Prints one JSON line (ms, and the load average at each figure).
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import type { FlowRunRecord } from "../../runtime/src/store/records.js";
import { ServerWorkspace } from "../../runtime/src/orchestrator/test-support/server-harness.js";
import { browserTestsMissing, BUILT_DASHBOARD, launchChromium, signedInPage } from "../../runtime/src/dashboard/test-support/dashboard-browser.js";
import { seedFlowRuns } from "./seed-flow-runs.js";

const [countArg] = process.argv.slice(2);
const count = Number(countArg);
const RELOADS = 7;
const SAMPLES = 50;

const load = () => os.loadavg()[0]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

/** The page's marks once its first rows are in: navigation start → rows in the DOM, → the next frame. */
async function firstPaint(page: Page): Promise<{ rows: number; frame: number; listStart: number; listMs: number; documentEnd: number }> {
  await page.waitForFunction(() => performance.getEntriesByName("flow-runs:first-frame").length > 0, undefined, { timeout: 60_000 });
  return page.evaluate(() => ({
    rows: performance.getEntriesByName("flow-runs:first-rows")[0]!.startTime,
    frame: performance.getEntriesByName("flow-runs:first-frame")[0]!.startTime,
    // Where the time goes: the page's own load, then the list's request (started, and how long).
    documentEnd: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
    listStart: performance.getEntriesByType("resource").find((entry) => entry.name.includes("/api/flow-runs?"))?.startTime ?? -1,
    listMs: performance.getEntriesByType("resource").find((entry) => entry.name.includes("/api/flow-runs?"))?.duration ?? -1,
  }));
}

/** In the page: POST `verb` for run `id`, then the time until its row says `want`. */
function timeRowChange(page: Page, id: string, verb: string, want: string): Promise<number> {
  return page.evaluate(
    ({ id, verb, want }) =>
      new Promise<number>((resolve, reject) => {
        const body = document.querySelector("#flow-runs tbody")!;
        const started = performance.now();
        const observer = new MutationObserver(() => {
          const row = body.querySelector<HTMLElement>(`tr[data-flow-run-id="${id}"]`);
          if (row?.dataset.state !== want) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve(performance.now() - started);
        });
        const timer = setTimeout(() => reject(new Error(`the row did not become ${want} within 10 s`)), 10_000);
        observer.observe(body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-state"] });
        const key = localStorage.getItem("tributary.sessionKey") ?? "";
        void fetch(`/api/flow-runs/${id}/${verb}`, { method: "POST", headers: { accept: "application/json", "X-Tributary-Session-Key": key }, credentials: "same-origin" }).then(async (response) => {
          if (!response.ok) reject(new Error(`${verb}: ${response.status} ${await response.text()}`));
        });
      }),
    { id, verb, want },
  );
}

async function main(): Promise<void> {
  if (browserTestsMissing) {
    console.log(JSON.stringify({ skipped: 1 }));
    return;
  }
  const workspace = new ServerWorkspace();
  mkdirSync(path.dirname(workspace.dbPath), { recursive: true });
  const seedStarted = performance.now();
  await seedFlowRuns(workspace.dbPath, count);
  const seedMs = performance.now() - seedStarted;
  const server = await workspace.start({ scheduler: false, automationEngine: false, worker: undefined, dashboardDir: BUILT_DASHBOARD });
  const browser = await launchChromium();
  try {
    await server.register([{ name: "add/default", export: "add" }]);
    // One run that waits (no worker, no scheduler): cancelled and retried in turns, each a state change.
    const run = (await server.api<FlowRunRecord>("POST", "/api/deployments/add%2Fdefault/runs", { scheduledTime: new Date(Date.now() + 86_400_000).toISOString(), flowRunName: "bench-run" })).body;
    const context = await browser.newContext();
    // The sign-in link's page: the first view of the list on a store no query has warmed.
    const signInLoad = load();
    const page = await signedInPage(context, server.url, server.token);
    const signIn = await firstPaint(page);
    const reloads: Awaited<ReturnType<typeof firstPaint>>[] = [];
    const reloadLoad = load();
    for (let i = 0; i < RELOADS; i++) {
      await page.goto(`${server.url}/`, { timeout: 60_000 });
      reloads.push(await firstPaint(page));
    }
    const rowCount = await page.locator("#flow-runs tbody tr").count();
    if (rowCount !== 50) throw new Error(`expected a page of 50 rows, got ${rowCount}`);
    await page.locator("body[data-stream=open]").waitFor({ state: "attached", timeout: 60_000 });
    await page.locator(`#flow-runs tbody tr[data-flow-run-id="${run.id}"]`).waitFor({ timeout: 60_000 });
    const changeLoad = load();
    const changes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      changes.push(i % 2 === 0 ? await timeRowChange(page, run.id, "cancel", "Cancelled") : await timeRowChange(page, run.id, "retry", "Scheduled"));
    }
    console.log(
      JSON.stringify({
        seedMs,
        signInRowsMs: signIn.rows,
        signInFrameMs: signIn.frame,
        signInLoad,
        signInDocumentMs: signIn.documentEnd,
        signInListStartMs: signIn.listStart,
        signInListMs: signIn.listMs,
        reloadDocumentMs: median(reloads.map((r) => r.documentEnd)),
        reloadListStartMs: median(reloads.map((r) => r.listStart)),
        reloadListMs: median(reloads.map((r) => r.listMs)),
        reloadRowsMs: median(reloads.map((r) => r.rows)),
        reloadFrameMs: median(reloads.map((r) => r.frame)),
        reloadRowsMaxMs: Math.max(...reloads.map((r) => r.rows)),
        reloadLoad,
        changeP50Ms: percentile(changes, 50),
        changeP95Ms: percentile(changes, 95),
        changeMaxMs: Math.max(...changes),
        changeLoad,
        endLoad: load(),
      }),
    );
  } finally {
    await browser.close();
    await server.close();
    await workspace.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
