/**
 * The graph views end to end in a real VS Code (code-server, headless Chromium), with the packaged
 * extension: the dependency graph of the seed workspace and of a cycle, a node click revealing its
 * definition, the overview by folder of a 500-file workspace, and the run graph of a finished
 * run. Every wait is on what the UI shows.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { generatedFilePath, generateWorkspace, writeWorkspace } from "../../test-fixtures/generate-workspace.js";
import { describeE2e, missingSetup, packageExtension, ROOT } from "./code-server-setup.js";
import { CodeServerSession } from "./code-server-session.js";
import { chooseFromContextMenu, sidebarPane } from "./deployment-views-helpers.js";
import { colourAndVariable, lineOf, webviewFrame } from "./graph-view-helpers.js";

const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));
let vsix = "";
const UI = { timeout: 120_000 };

before(() => {
  if (missingSetup() === undefined) vsix = packageExtension(packages);
});
after(() => rmSync(packages, { recursive: true, force: true }));

describeE2e("the dependency graph and a run graph of the seed workspace", { timeout: 600_000 }, () => {
  let session: CodeServerSession;
  // The seed flows, plus futures-flow.ts whose tasks pass futures (edges in its run graph).
  const seed = path.join(ROOT, "test-fixtures", "e2e", "graph-workspace");

  before(async () => {
    session = await CodeServerSession.start({ vsix, fixture: seed });
  });
  after(() => session?.close());

  it("draws the flows, deployments and automation, and a click opens the flow's definition", async () => {
    const { page } = session;
    await session.openFile("orchestrator-flow.ts");
    // The graph gets the whole window: no editor beside it, no side bar.
    await session.runCommand("View: Close All Editors");
    await page.locator(".tab").first().waitFor({ state: "detached", ...UI });
    await session.runCommand("View: Toggle Primary Side Bar Visibility");
    await session.runCommand("Tributary: Show Dependency Graph");
    const frame = webviewFrame(page);
    const node = (id: string) => frame.locator(`.node[data-id="${id}"]`);
    await session.waitOrScreenshot("graph-no-nodes", () => node("flow:orchestrator-flow").waitFor(UI));
    for (const id of ["flow:upstream-flow", "flow:downstream-flow", "flow:data-processing-flow", "deployment:downstream-flow/downstream-processing", "automation:downstream-after-upstream"]) {
      assert.equal(await node(id).count(), 1, `${id} is drawn`);
    }
    // Tasks start folded into their flows; the flow says how many.
    assert.equal(await frame.locator(".node-task").count(), 0);
    assert.equal((await frame.locator('[data-toggle="flow:data-processing-flow"]').textContent())?.trim(), "▸ 3 tasks");
    await frame.locator('[data-toggle="flow:data-processing-flow"]').click();
    await frame.locator('.node[data-id="task:extract-data"]').waitFor(UI);
    assert.equal(await frame.locator(".node-task").count(), 3);
    // Edge kinds are styled apart: a waits-for edge and a subflow edge have different colours.
    const waits = await frame.locator(".edge.edge-waits-for").first().evaluate((e) => getComputedStyle(e).stroke);
    const subflow = await frame.locator(".edge.edge-subflow").first().evaluate((e) => getComputedStyle(e).stroke);
    assert.notEqual(waits, subflow);
    assert.ok((await frame.locator(".edge.conditional").count()) > 0, "conditional edges are drawn dashed");
    await frame.locator("#fit").click();
    await session.screenshot("dependency-graph");

    // The filter keeps matches and their neighbours.
    await frame.locator("#filter").fill("downstream-after");
    await frame.locator('.node[data-id="flow:orchestrator-flow"]').waitFor({ state: "detached", ...UI });
    assert.equal(await frame.locator(".node.matched").count(), 1);
    await frame.locator("#filter").fill("");
    await node("flow:orchestrator-flow").waitFor(UI);

    const line = lineOf(readFileSync(path.join(session.workspace, "upstream-flow.ts"), "utf8"), '"upstream-flow"');
    await node("flow:upstream-flow").click();
    await session.waitOrScreenshot("graph-reveal-no-tab", () => page.locator('.tab.active[data-resource-name="upstream-flow.ts"]').waitFor(UI));
    const cursor = page.locator(".statusbar-item", { hasText: `Ln ${line}, Col 3` });
    await session.waitOrScreenshot("graph-reveal-wrong-line", () => cursor.first().waitFor(UI));
  });

  it("draws a finished run's task runs coloured by state, picked from the palette", async () => {
    const { page } = session;
    await session.runCommand("View: Close All Editors");
    await page.locator("iframe.webview").waitFor({ state: "detached", ...UI });
    await session.waitOrScreenshot("run-graph-no-run-started", () => session.clickLens("futures-flow.ts", "▶ Run flow", session.flowRunStarted("futures-pipeline")));
    const outcome = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "of futures-pipeline ended" }).first();
    await session.waitOrScreenshot("run-graph-no-run", () => outcome.waitFor(UI));
    assert.match((await outcome.textContent()) ?? "", /ended Completed/);

    await session.runCommand("Tributary: Show Run Graph");
    const pick = page.locator(".quick-input-list .monaco-list-row", { hasText: "futures-pipeline" }).first();
    await session.waitOrScreenshot("run-graph-no-pick", () => pick.waitFor(UI));
    await pick.click();
    const frame = webviewFrame(page);
    const tasks = frame.locator(".node.run-task");
    await session.waitOrScreenshot("run-graph-no-tasks", () => tasks.nth(3).waitFor(UI));
    assert.equal(await tasks.count(), 4);
    const states = await tasks.evaluateAll((nodes) => Object.fromEntries(nodes.map((n) => [n.querySelector("text.label")?.textContent, n.getAttribute("data-state")])));
    assert.deepEqual(states, { "extract-rows-0": "Completed", "double-rows-0": "Completed", "flaky-check-0": "Failed", "count-rows-0": "Completed" });
    const passed = await colourAndVariable(frame.locator(".node.run-task.state-completed rect").first(), "stroke", "--vscode-testing-iconPassed");
    assert.equal(passed.actual, passed.expected, "a completed task run is drawn in the Testing view's passed colour");
    const failed = await colourAndVariable(frame.locator(".node.run-task.state-failed rect").first(), "stroke", "--vscode-testing-iconFailed");
    assert.equal(failed.actual, failed.expected, "a failed task run is drawn in the Testing view's failed colour");
    assert.notEqual(passed.actual, failed.actual);
    assert.equal(await frame.locator(".edge-run").count(), 2, "futures passed: extract-rows → double-rows → count-rows");

    await tasks.filter({ hasText: "flaky-check" }).click();
    const history = frame.locator("#details .states li");
    await session.waitOrScreenshot("run-graph-no-details", () => history.filter({ hasText: "Failed" }).first().waitFor(UI));
    assert.ok((await history.filter({ hasText: "Running" }).count()) >= 1, "the state history shows Running before Failed");
    await session.runCommand("Notifications: Clear All Notifications");
    await page.locator(".notifications-toasts .notification-list-item").first().waitFor({ state: "detached", ...UI });
    await session.screenshot("run-graph");
  });

  it("a subflow run's details follow it: its log lines come as it runs, and a finished run without task runs says it ended without them", async () => {
    const { page } = session;
    await session.runCommand("View: Close All Editors");
    await page.locator("iframe.webview").waitFor({ state: "detached", ...UI });
    // The subflow pauses: its node is clicked while it has logged nothing, then it is resumed and logs.
    await session.waitOrScreenshot("subflow-graph-not-started", () => session.clickLens("paused-subflow.ts", "▶ Run flow", session.flowRunStarted("paused-parent")));
    // From its row in Flow Runs, once it shows there (the palette's pick lists the runs made by then).
    await session.runCommand("Tributary: Show Flow Runs");
    const row = sidebarPane(page, "Flow Runs").locator(".monaco-list-row", { hasText: "paused-parent · " }).first();
    await session.waitOrScreenshot("subflow-graph-no-row", () => row.waitFor(UI));
    await chooseFromContextMenu(page, row, "Show Run Graph");
    const frame = webviewFrame(page);
    const subflow = frame.locator('.node.run-flow[data-state="Paused"]');
    await session.waitOrScreenshot("subflow-graph-not-paused", () => subflow.waitFor(UI));
    await subflow.click();
    const details = frame.locator("#details");
    await session.waitOrScreenshot("subflow-graph-no-details", () => details.locator(".states li", { hasText: "Paused" }).first().waitFor(UI));
    assert.match((await details.locator("h2").textContent()) ?? "", /^Subflow run waiting-step \(/);
    assert.doesNotMatch((await details.locator(".logs").textContent()) ?? "", /Resumed: writing the report/);
    const subflowId = (await subflow.getAttribute("data-run"))!;
    execFileSync(process.execPath, [path.join(ROOT, "runtime", "bin", "tributary.js"), "flow-run", "resume", subflowId], { cwd: session.workspace, encoding: "utf8" });
    await session.waitOrScreenshot("subflow-graph-logs-not-followed", () => details.locator(".logs", { hasText: "Resumed: writing the report" }).waitFor(UI));
    await details.locator(".states li", { hasText: "Completed" }).first().waitFor(UI);
    assert.doesNotMatch((await details.locator(".logs").textContent()) ?? "", /No logs\./);
    await session.screenshot("run-graph-subflow-details");

    await session.runCommand("View: Close All Editors");
    await page.locator("iframe.webview").waitFor({ state: "detached", ...UI });
    await session.waitOrScreenshot("plain-graph-not-started", () => session.clickLens("plain-flow.ts", "▶ Run flow", session.flowRunStarted("plain-flow")));
    await session.waitOrScreenshot("plain-graph-no-run", () => page.locator(".notifications-toasts .notification-list-item-message", { hasText: "of plain-flow ended" }).first().waitFor(UI));
    await session.runCommand("Tributary: Show Run Graph");
    const plainPick = page.locator(".quick-input-list .monaco-list-row", { hasText: "plain-flow" }).first();
    await session.waitOrScreenshot("plain-graph-no-pick", () => plainPick.waitFor(UI));
    await plainPick.click();
    const canvas = webviewFrame(page).locator("#canvas");
    await session.waitOrScreenshot("plain-graph-no-text", () => canvas.filter({ hasText: "This run ended Completed without task runs or subflow runs." }).waitFor(UI));
    assert.doesNotMatch((await canvas.textContent()) ?? "", /yet/);
  });
});

describeE2e("the dependency graph of a cycle", { timeout: 400_000 }, () => {
  let session: CodeServerSession;

  before(async () => {
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "test-fixtures", "e2e", "cycle-workspace") });
  });
  after(() => session?.close());

  it("opens from the upstream/downstream lens focused on the flow, the cycle in the error colour with its message", async () => {
    const { page } = session;
    await session.openFile("ingest-flow.ts");
    // Lenses are redrawn when the analysis lands: wait for its error to show first.
    await session.waitOrScreenshot("cycle-graph-no-error", () => page.locator(".monaco-editor .squiggly-error").first().waitFor(UI));
    const tab = page.locator(".tab", { hasText: "Dependency Graph" });
    await session.waitOrScreenshot("cycle-graph-no-panel", () => session.clickLens("ingest-flow.ts", "upstream", tab));
    const frame = webviewFrame(page);
    const cycleEdges = frame.locator("path.edge.cycle");
    await session.waitOrScreenshot("cycle-graph-no-edges", () => cycleEdges.nth(1).waitFor(UI));
    assert.equal(await cycleEdges.count(), 2);
    for (let i = 0; i < 2; i++) {
      const colour = await colourAndVariable(cycleEdges.nth(i), "stroke", "--vscode-errorForeground");
      assert.equal(colour.actual, colour.expected, `cycle edge ${i} is drawn in the error colour`);
      assert.match((await cycleEdges.nth(i).locator("title").textContent()) ?? "", /TRB100: Dependency cycle: ingest → report → ingest/);
    }
    assert.match((await frame.locator("#cycles .cycle-item").first().textContent()) ?? "", /TRB100 Dependency cycle: ingest → report → ingest\./);
    await frame.locator('.node.focus[data-id="flow:ingest"]').waitFor(UI);
    await session.screenshot("dependency-graph-cycle");
  });

  it("redraws as the code changes: breaking the cycle clears the error colour", async () => {
    const { page } = session;
    // The graph is beside the editor; line 7 of ingest-flow.ts is `await report();`: delete it, unsaved.
    await page.locator('.tab[data-resource-name="ingest-flow.ts"]').click();
    await page.locator(".monaco-editor.focused").first().waitFor(UI);
    await page.keyboard.press("Control+G");
    await page.keyboard.type("7");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+Shift+K");
    await session.waitOrScreenshot("cycle-graph-line-not-deleted", () => page.locator(".monaco-editor .view-line", { hasText: "await report()" }).waitFor({ state: "detached", ...UI }));
    const frame = webviewFrame(page);
    await session.waitOrScreenshot("cycle-graph-not-redrawn", () => frame.locator("path.edge.cycle").first().waitFor({ state: "detached", ...UI }));
    assert.equal(await frame.locator('.node[data-id="flow:ingest"]').count(), 1);
    assert.equal(await frame.locator("path.edge-subflow").count(), 0, "the subflow call is gone");
    assert.equal(await frame.locator("path.edge-waits-for").count(), 1, "report still waits for ingest");
    assert.match((await frame.locator("#cycles").textContent()) ?? "", /No dependency cycles or trigger loops/);
  });
});

describeE2e("the overview of a big workspace's dependency graph", { timeout: 400_000 }, () => {
  let session: CodeServerSession;
  let generated: string | undefined;
  // Folders holding a planted cycle (files 98/99 of each hundred) or trigger loop (249, 499).
  const onCycles = ["flows/area-03", "flows/area-07", "flows/area-09", "flows/area-11", "flows/area-15", "flows/area-19"];

  before(async () => {
    // The 500-file workspace of the benchmarks: 20 folders of 25 files, 1,554 nodes with tasks folded.
    // Written here, not when the suite is declared: a run that filters this suite out writes nothing.
    generated = mkdtempSync(path.join(os.tmpdir(), "tributary-overview-"));
    writeWorkspace(generated, generateWorkspace(500));
    session = await CodeServerSession.start({ vsix, openFolder: generated });
  });
  after(async () => {
    await session?.close();
    if (generated !== undefined) rmSync(generated, { recursive: true, force: true });
  });

  it("draws its folders first, cycles red; a click or Enter draws a folder's nodes in a frame, and its title folds them again", async () => {
    const { page } = session;
    await session.openFile(generatedFilePath(0));
    await session.runCommand("View: Close All Editors");
    await page.locator(".tab").first().waitFor({ state: "detached", ...UI });
    await session.runCommand("View: Toggle Primary Side Bar Visibility");
    await session.runCommand("Tributary: Show Dependency Graph");
    const frame = webviewFrame(page);
    const folders = frame.locator(".node.node-folder");
    await session.waitOrScreenshot("overview-no-folders", () => folders.nth(19).waitFor(UI));
    assert.equal(await folders.count(), 20);
    assert.equal(await frame.locator(".node-flow").count(), 0, "no flow is drawn before its folder is opened");
    const red = await frame.locator(".node.node-folder.cycle").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-folder")));
    assert.deepEqual(red.sort(), onCycles);
    assert.match((await frame.locator("#summary").textContent()) ?? "", /20 folders folded/);
    assert.equal(await frame.locator("#canvas").getAttribute("data-layout"), "worker", "the layout ran on the webview's worker, not in the page");
    await session.screenshot("dependency-graph-overview");

    await frame.locator('.node[data-folder="flows/area-03"]').click();
    await session.waitOrScreenshot("overview-folder-not-opened", () => frame.locator('.frame[data-folder="flows/area-03"]').waitFor(UI));
    // The folder's flows and deployments are drawn (tasks folded); the 19 others stay folders.
    assert.equal(await folders.count(), 19);
    assert.equal(await frame.locator(".node.node-flow").count(), 50);
    const redFlows = await frame.locator(".node.node-flow.cycle").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-id")));
    assert.deepEqual(redFlows.sort(), ["flow:f98-ingest", "flow:f99-report"], "the planted cycle's flows are red");
    await session.screenshot("dependency-graph-overview-folder");
    await frame.locator('[data-collapse="flows/area-03"]').click();
    await session.waitOrScreenshot("overview-folder-not-folded", () => frame.locator(".frame").waitFor({ state: "detached", ...UI }));
    assert.equal(await folders.count(), 20);

    // From the keyboard: Enter on a folder opens it, Enter on its frame's title folds it.
    await frame.locator('.node[data-folder="flows/area-07"]').focus();
    await page.keyboard.press("Enter");
    await session.waitOrScreenshot("overview-folder-not-opened-by-key", () => frame.locator('.frame[data-folder="flows/area-07"]').waitFor(UI));
    await frame.locator('[data-collapse="flows/area-07"]').focus();
    await page.keyboard.press("Enter");
    await session.waitOrScreenshot("overview-folder-not-folded-by-key", () => frame.locator(".frame").waitFor({ state: "detached", ...UI }));
    assert.equal(await folders.count(), 20);
  });
});
