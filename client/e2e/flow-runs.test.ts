/**
 * End to end in a real VS Code (code-server, headless Chromium): the Flow Runs view follows runs
 * started with ▶ Run flow live, shows their subflow and task runs, opens their live log, asks for
 * a required parameter before it runs a flow and shows the run's result, shows a failed run's
 * error with the first frame of the user's code, and cancels a long-running run. Every wait is on what the UI shows. One code-server for both
 * scenarios (each start costs a core for a minute on a shared machine).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { CodeServerSession } from "./code-server-session.js";
import { describeE2e, packageExtension, ROOT } from "./code-server-setup.js";
import { chooseFromContextMenu } from "./deployment-views-helpers.js";

const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));
const UI_WAIT = 120_000;

/** The rows of the Flow Runs tree. */
function flowRunRows(page: Page): Locator {
  return page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Flow Runs" }) }).locator(".monaco-list-row");
}

function rowOf(page: Page, label: string): Locator {
  return flowRunRows(page).filter({ hasText: label }).first();
}

/**
 * Records, from now on, every tree row that showed a spinning icon, however briefly (a fast run
 * spins for a fraction of a second). Page code as a string: this project compiles without the DOM
 * library.
 */
async function watchSpinners(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = (window.spinnersSeen = []);
    const note = () => {
      for (const icon of document.querySelectorAll(".monaco-list-row .custom-view-tree-node-item-icon.codicon-loading.codicon-modifier-spin")) {
        const text = icon.closest(".monaco-list-row")?.textContent ?? "";
        if (!seen.includes(text)) seen.push(text);
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
  })()`);
}

/** Drags the side bar's edge to the right, so that descriptions show (for the README's picture). */
async function widenSideBar(page: Page, by: number): Promise<void> {
  const box = await page.locator(".part.sidebar").boundingBox();
  if (!box) return;
  const edge = { x: box.x + box.width, y: box.y + box.height / 2 };
  await page.mouse.move(edge.x, edge.y);
  await page.mouse.down();
  await page.mouse.move(edge.x + by, edge.y, { steps: 5 });
  await page.mouse.up();
  // Off the edge, so that the picture does not show it highlighted.
  await page.mouse.move(edge.x + by + 300, box.y + box.height - 40);
}

describeE2e("Flow Runs in VS Code", { timeout: 600_000 }, () => {
  let session: CodeServerSession;

  before(async () => {
    const vsix = packageExtension(packages);
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "test-fixtures", "e2e", "flow-runs-workspace") });
    // The machine is shared: every wait, the session's own included, gets the generous timeout.
    session.page.setDefaultTimeout(UI_WAIT);
  });
  after(async () => {
    await session?.close();
    rmSync(packages, { recursive: true, force: true });
  });

  it("shows a ▶ Run flow run spinning, then passed, with its subflow and task runs, and opens its live log", async () => {
    const { page } = session;
    await session.openFile("orchestrator-flow.ts");
    const lens = page.locator(".codelens-decoration a", { hasText: "▶ Run flow" }).first();
    await session.waitOrScreenshot("flow-runs-no-lens", () => lens.waitFor({ timeout: UI_WAIT }));
    await session.runCommand("Tributary: Show Flow Runs");
    // Shown for the first time, the view connects (a local server for the workspace): empty, it says so.
    const empty = page.locator(".pane-body", { hasText: "No flow runs yet" });
    await session.waitOrScreenshot("flow-runs-not-connected", () => empty.waitFor({ timeout: UI_WAIT }));
    await page.locator(".statusbar-item", { hasText: "Tributary: 0 running" }).waitFor({ timeout: UI_WAIT });
    await watchSpinners(page);
    await session.waitOrScreenshot("flow-runs-not-started", () => session.clickLens("orchestrator-flow.ts", "▶ Run flow", session.flowRunStarted("orchestrator-flow")));

    const run = rowOf(page, "orchestrator-flow · ");
    await session.waitOrScreenshot("flow-runs-no-run", () => run.waitFor({ timeout: UI_WAIT }).catch((error: Error) => {
      throw new Error(`${error.message}\nThe extension's log:\n${session.extensionLog()}`);
    }));
    const passed = run.locator(".custom-view-tree-node-item-icon.codicon-pass");
    await session.waitOrScreenshot("flow-runs-not-passed", () => passed.waitFor({ timeout: UI_WAIT }));
    const spinners = (await page.evaluate("window.spinnersSeen")) as string[];
    assert.ok(spinners.some((text) => text.includes("orchestrator-flow · ")), `the run's row spun before it passed; spinning rows seen: ${JSON.stringify(spinners)}`);
    assert.match((await run.textContent()) ?? "", /Completed · [\d.]+ (ms|s) · (just now|\d+ s ago)/);
    // Revealed: the new run is the selected row.
    assert.equal(await run.getAttribute("aria-selected"), "true");

    // Its children: the three subflow runs, in start order; a subflow's children are its task runs.
    // (Rows of the same flows sit at the top level too: the run registered the deployments and the
    // automation its neighbours declare, so the scheduler made upstream runs ahead and the
    // automation ran downstream after the upstream subflow.)
    await run.locator(".monaco-tl-twistie").click();
    const subflows = flowRunRows(page).and(page.locator('[aria-level="2"]'));
    const upstream = subflows.filter({ hasText: "upstream-flow · " }).first();
    await session.waitOrScreenshot("flow-runs-no-children", () => upstream.waitFor({ timeout: UI_WAIT }));
    const labels = (await subflows.locator(".label-name").allTextContents()).map((label) => label.split(" · ")[0]);
    assert.deepEqual(labels, ["upstream-flow", "data-processing-flow", "downstream-flow"], "the subflows under the run, in start order");
    await upstream.locator(".monaco-tl-twistie").click();
    const task = rowOf(page, "fetch-source-data-");
    await session.waitOrScreenshot("flow-runs-no-task-runs", () => task.waitFor({ timeout: UI_WAIT }));
    assert.ok(await task.locator(".codicon-pass").count(), "the task run passed");
    await widenSideBar(page, 260);
    await session.screenshot("flow-runs-run-expanded");

    // Relative times move on with the clock (the view refreshes recent runs every 20 s), a run's and
    // its children's together: no child says "8 s ago" under a parent that still says "just now".
    // (Waiting for 10 s or more: the subflow started a moment after the run, so near 5 s one may
    // still say "just now" as the other says "5 s ago".) The subflow started within its parent's
    // run, so their times ago differ by at most the parent's duration, plus a second of rounding
    // each (on a loaded machine the run took 2.3 s and they said 25 and 22 s ago).
    const ago = /· (\d+) s ago/;
    await session.waitOrScreenshot("flow-runs-time-not-ticking", () => run.filter({ hasText: /· [1-9]\d s ago/ }).waitFor({ timeout: 60_000 }));
    const [parentText, childText] = [(await run.textContent()) ?? "", (await upstream.textContent()) ?? ""];
    const [parentAgo, childAgo] = [Number(ago.exec(parentText)?.[1]), Number(ago.exec(childText)?.[1])];
    const took = /Completed · ([\d.]+) (ms|s) ·/.exec(parentText);
    const tookSeconds = took === null ? NaN : Number(took[1]) / (took[2] === "ms" ? 1000 : 1);
    assert.ok(Math.abs(parentAgo - childAgo) <= Math.ceil(tookSeconds) + 2, `the run says "${parentText}", its subflow "${childText}"`);

    // Show Logs (the row's inline action): the run's log as a tributary-log document.
    await run.hover();
    await run.locator('.action-label[aria-label="Show Logs"]').click();
    const tab = page.locator(".tab", { hasText: /orchestrator-flow .*\.tributary-log/ });
    await session.waitOrScreenshot("flow-runs-no-log-tab", () => tab.waitFor({ timeout: UI_WAIT }));
    const editor = page.locator(".editor-instance .view-lines").last();
    await session.waitOrScreenshot("flow-runs-log-empty", () => editor.locator(".view-line", { hasText: "All subflows completed" }).waitFor({ timeout: UI_WAIT }));
    // The editor draws spaces as no-break spaces.
    const text = ((await editor.textContent()) ?? "").replace(/\u00a0/g, " ");
    assert.match(text, /\| INFO {4}\| flow-run \S+ \| Starting upstream/);
    assert.match(text, /→ Completed/);
    // It opens with a header: the run, its flow, its state, parameters, result and what started it.
    const lines = (await editor.locator(".view-line").allTextContents()).map((line) => line.replace(/\u00a0/g, " "));
    assert.match(lines[0] ?? "", /^Flow run {6}[a-z]+-[a-z]+ \([0-9a-f-]{36}\)$/);
    assert.equal(lines[1], "Flow          orchestrator-flow");
    assert.equal(lines[2], "State         Completed");
    assert.equal(lines[3], "Parameters    {}");
    assert.match(lines[4] ?? "", /^Result {8}\{"allResults":\[\{"batchId":"batch-5-510"/);
    assert.equal(lines[5], "Triggered by  tributary run (▶ Run flow)");
    assert.match(lines[6] ?? "", /^─+$/);
    await page.locator(".statusbar-item[id='status.editor.mode']", { hasText: "Tributary Log" }).waitFor({ timeout: UI_WAIT });
    await session.screenshot("flow-runs-log");
  });

  it("▶ Run flow… on a flow with a required parameter asks for it; the run's result shows in its row and opens as JSON", async () => {
    const { page } = session;
    const prompt = page.locator(".quick-input-widget .quick-input-title", { hasText: "Run flow sized-flow: size" });
    await session.waitOrScreenshot("sized-no-prompt", () => session.clickLens("sized-flow.ts", "▶ Run flow…", prompt));
    await page.locator(".quick-input-widget .quick-input-box input").fill("42");
    await page.keyboard.press("Enter");

    const run = rowOf(page, "sized-flow · ");
    const passed = run.locator(".custom-view-tree-node-item-icon.codicon-pass");
    await session.waitOrScreenshot("sized-not-passed", () => passed.waitFor({ timeout: UI_WAIT }));
    assert.match((await run.textContent()) ?? "", /Completed · .* · → "b-42:14"/);
    const tooltip = page.locator(".monaco-hover", { hasText: "Result:" }).first();
    assert.match(await session.hoverText("sized-no-result-tooltip", run, tooltip), /"b-42:14"/);
    await session.screenshot("flow-runs-result");
    await page.keyboard.press("Escape");

    await chooseFromContextMenu(page, run, "Open Result");
    const tab = page.locator(".tab", { hasText: /sized-flow .* result\.json/ });
    await session.waitOrScreenshot("sized-no-result-tab", () => tab.waitFor({ timeout: UI_WAIT }));
    const editor = page.locator(".editor-instance .view-lines").last();
    await session.waitOrScreenshot("sized-result-empty", () => editor.locator(".view-line", { hasText: '"b-42:14"' }).waitFor({ timeout: UI_WAIT }));
    await page.locator(".statusbar-item[id='status.editor.mode']", { hasText: "JSON" }).waitFor({ timeout: UI_WAIT });
  });

  it("shows a failed run's error in its row, and the first frame of the user's code in its tooltip", async () => {
    const { page } = session;
    await session.waitOrScreenshot("failed-not-started", () => session.clickLens("failing-flow.ts", "▶ Run flow", session.flowRunStarted("failing-flow")));
    const run = rowOf(page, "failing-flow · ");
    const failed = run.locator(".custom-view-tree-node-item-icon.codicon-error");
    await session.waitOrScreenshot("failed-not-failed", () => failed.waitFor({ timeout: UI_WAIT }));
    assert.match((await run.textContent()) ?? "", /Failed · .* · cannot parse row "bad"/);
    const tooltip = page.locator(".monaco-hover", { hasText: "Error:" }).first();
    const tooltipText = await session.hoverText("failed-no-tooltip", run, tooltip);
    assert.match(tooltipText, /cannot parse row "bad"\s*at parseRow \(failing-flow\.ts:6:\d+\)/);
    await session.screenshot("flow-runs-failed");
    await page.keyboard.press("Escape");
    // It ran no task and no subflow: no expand arrow, seen live and after a reload from the server; a run with children has one.
    const twistie = run.locator(".monaco-tl-twistie");
    assert.doesNotMatch((await twistie.getAttribute("class")) ?? "", /\bcollapsible\b/, "the failed run, seen live, has no expand arrow");
    await session.runCommand("Tributary: Refresh Flow Runs");
    await session.waitOrScreenshot("failed-not-reloaded", () => run.waitFor({ timeout: UI_WAIT }));
    assert.doesNotMatch((await twistie.getAttribute("class")) ?? "", /\bcollapsible\b/, "nor once listed by the server");
    assert.match((await rowOf(page, "orchestrator-flow · ").locator(".monaco-tl-twistie").getAttribute("class")) ?? "", /\bcollapsible\b/, "the run with subflows has one");
  });

  it("a failed task's run log opens with the error and the user's frame, its stack folded to the user's frames as the CLI folds it", async () => {
    const { page } = session;
    await session.waitOrScreenshot("task-failed-not-started", () => session.clickLens("failing-task-flow.ts", "▶ Run flow", session.flowRunStarted("failing-task-flow")));
    const run = rowOf(page, "failing-task-flow · ");
    await session.waitOrScreenshot("task-failed-not-failed", () => run.locator(".custom-view-tree-node-item-icon.codicon-error").waitFor({ timeout: UI_WAIT }));
    await chooseFromContextMenu(page, run, "Show Logs");
    const tab = page.locator(".tab", { hasText: /failing-task-flow .*\.tributary-log/ });
    await session.waitOrScreenshot("task-failed-no-log-tab", () => tab.waitFor({ timeout: UI_WAIT }));
    const editor = page.locator(".editor-instance .view-lines").last();
    // The editor draws spaces as no-break spaces: \s matches both.
    const fold = editor.locator(".view-line", { hasText: /…\s\d+\sframes?\sin\stributaryjs/ }).first();
    await session.waitOrScreenshot("task-failed-log-not-folded", () => fold.waitFor({ timeout: UI_WAIT }));
    const lines = (await editor.locator(".view-line").allTextContents()).map((line) => line.replace(/\u00a0/g, " "));
    const id = /^Flow run {6}[a-z]+-[a-z]+ \(([0-9a-f-]{36})\)$/.exec(lines[0] ?? "")?.[1];
    assert.ok(id, `the header names the run and its id: ${lines[0]}`);
    assert.equal(lines[1], "Flow          failing-task-flow");
    assert.equal(lines[2], "State         Failed");
    assert.equal(lines[3], "Parameters    {}");
    assert.match(lines[4] ?? "", /^Error {9}.*row "bad" has no amount/);
    assert.match(lines[5] ?? "", /^ {14}at checkRow \(failing-task-flow\.ts:6:\d+\)$/);
    // The task's stack: the user's frames with paths relative to the workspace, the rest counted on one line that says how to see them.
    const body = lines.slice(lines.findIndex((line) => /^─+$/.test(line)) + 1).join("\n");
    assert.match(body, /\| task-run check-row-0 \| .*row "bad" has no amount\n {4} {4}at checkRow \(failing-task-flow\.ts:6:\d+\)/);
    assert.match(body, new RegExp(`… \\d+ frames? in tributaryjs[^(]*\\(tributary flow-run logs ${id} --verbose shows (it|them)\\)`));
    assert.doesNotMatch(body, /\(\/[^)]*:\d+:\d+\)/, "no frame with an absolute path is left");
    assert.doesNotMatch(body, /node:internal/);
    await session.screenshot("flow-runs-log-failed-task");
  });

  it("cancels a long-running run from its row: it ends Cancelled", async () => {
    const { page } = session;
    await session.waitOrScreenshot("cancel-not-started", () => session.clickLens("long-running-flow.ts", "▶ Run flow", session.flowRunStarted("long-running-flow")));

    const run = rowOf(page, "long-running-flow · ");
    const spinning = run.locator(".custom-view-tree-node-item-icon.codicon-loading.codicon-modifier-spin");
    await session.waitOrScreenshot("cancel-not-running", () => spinning.waitFor({ timeout: UI_WAIT }));
    await page.locator(".statusbar-item", { hasText: "Tributary: 1 running" }).waitFor({ timeout: UI_WAIT });
    await session.screenshot("cancel-running");

    await run.hover();
    await run.locator('.action-label[aria-label="Cancel Run"]').click();
    const cancelled = run.locator(".custom-view-tree-node-item-icon.codicon-circle-slash");
    await session.waitOrScreenshot("cancel-not-cancelled", () => cancelled.waitFor({ timeout: UI_WAIT }));
    assert.match((await run.textContent()) ?? "", /Cancelled · /);
    await page.locator(".statusbar-item", { hasText: "Tributary: 0 running" }).waitFor({ timeout: UI_WAIT });
    const outcome = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "of long-running-flow ended Cancelled" }).first();
    await session.waitOrScreenshot("cancel-no-outcome", () => outcome.waitFor({ timeout: UI_WAIT }));
    await session.screenshot("cancel-cancelled");
  });
});
