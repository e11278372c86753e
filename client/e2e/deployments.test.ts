/**
 * End to end in a real VS Code: ▶ Run flow registering what its folder declares (so the automation
 * runs downstream, as `tributary run` in a terminal does), Run with parameters…, registering
 * deployments, the Deployments and Automations views, a deployment run from the view's context menu
 * and the run an automation starts from it. One code-server session, the scenarios in order: each
 * builds on the store the one before left. Every wait is on what the UI shows; what the runs were
 * is read back from the store with the CLI. Skipped, saying why, when scripts/setup-code-server.sh
 * has not run.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { CodeServerSession } from "./code-server-session.js";
import { describeE2e, packageExtension, ROOT } from "./code-server-setup.js";
import { chooseFromContextMenu, notification, openTributarySidebar, quickInput, screenshotSidebar, sidebarPane, storedRuns, treeRow } from "./deployment-views-helpers.js";

const UPSTREAM = "upstream-flow/upstream-data-preparation";
const DOWNSTREAM = "downstream-flow/downstream-processing";
const SIZED = "sized-flow/default";

describeE2e("deployments and automations in VS Code", { timeout: 600_000 }, () => {
  const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));
  let session: CodeServerSession;

  before(async () => {
    const vsix = packageExtension(packages);
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "test-fixtures", "e2e", "deployments-workspace") });
  });
  after(async () => {
    await session?.close();
    rmSync(packages, { recursive: true, force: true });
  });

  it("▶ Run flow over upstream-flow registers its folder's deployments and automation with the extension's server: the automation's downstream run shows in Flow Runs", async () => {
    const { page } = session;
    // The extension activates on a TypeScript file: its commands exist from then on.
    await session.openFile("upstream-flow.ts");
    await session.runCommand("Tributary: Show Flow Runs");
    await session.waitOrScreenshot("editor-run-not-started", () => session.clickLens("upstream-flow.ts", "▶ Run flow", session.flowRunStarted("upstream-flow")));
    const downstreamRun = sidebarPane(page, "Flow Runs").locator(".monaco-list-row", { hasText: "downstream-flow · ", has: page.locator(".codicon-pass") }).first();
    // The run the automation started says how it ended, as the ▶ run does (looked for while it runs: a toast hides after a while).
    const told = /Flow run '[a-z]+-[a-z]+' of downstream-flow \(automation downstream-after-upstream\) ended Completed in [\d.]+ m?s \(1 task run\)\./;
    const toast = page.locator(".notifications-toasts .notification-list-item", { hasText: told }).first();
    await session.waitOrScreenshot("editor-run-no-downstream", () => Promise.all([downstreamRun.waitFor({ timeout: 120_000 }), toast.waitFor({ timeout: 120_000 })]));
    await toast.locator(".monaco-button", { hasText: "Show Run Log" }).waitFor({ timeout: 10_000 });
    await toast.locator(".monaco-button", { hasText: "Show in Flow Runs" }).waitFor({ timeout: 10_000 });
    await toast.locator(".notification-list-item-source", { hasText: "Tributary" }).waitFor({ timeout: 10_000 });
    // The Automations view lists what the lens over the automation links (it said "No automations are registered").
    const automation = treeRow(sidebarPane(page, "Automations"), "downstream-after-upstream");
    await session.waitOrScreenshot("editor-run-no-automation", () => automation.waitFor({ timeout: 30_000 }));
    assert.match((await automation.textContent()) ?? "", /enabled · upstream-flow Completed → run downstream-flow\/downstream-processing/);
    await session.screenshot("editor-run-downstream-shown");
    assert.match(session.extensionLog(), /Registered with the server at http:\/\/127\.0\.0\.1:\d+: 2 deployments created, 1 automation created\./);
    const runs = storedRuns(session.workspace, "downstream-flow");
    assert.equal(runs.length, 1, "one downstream run: the automation's");
    assert.deepEqual(
      runs[0]!.chain.map((link) => `${link.kind} ${link.name}`),
      ["flow-run upstream-flow", "automation downstream-after-upstream", `deployment ${DOWNSTREAM}`, "flow-run downstream-flow"],
    );
    assert.equal(runs[0]!.state.type, "COMPLETED");
    // The next scenario waits for a notification of how its run of upstream-flow ended: not this one's.
    await session.runCommand("Notifications: Clear All Notifications");
  });

  it("Run with parameters… refuses text for a number, then runs with good values", async () => {
    const { page } = session;
    const firstStep = quickInput.title(page).filter({ hasText: "Run flow upstream-flow: batchSize" });
    await session.waitOrScreenshot("parameters-no-prompt", () => session.clickLens("upstream-flow.ts", "Run with parameters…", firstStep));
    assert.equal(await quickInput.box(page).inputValue(), "10", "the default is pre-filled");
    await quickInput.box(page).fill("ten");
    const refusal = quickInput.message(page).filter({ hasText: 'Parameter "batchSize" must be a number: "ten" is not one.' });
    await session.waitOrScreenshot("parameters-no-refusal", () => refusal.waitFor({ timeout: 30_000 }));
    await session.screenshot("parameters-refused");
    await page.keyboard.press("Enter");
    // Refused input is not accepted: the same step stays, still saying why.
    await refusal.waitFor({ timeout: 10_000 });
    assert.match((await quickInput.title(page).textContent()) ?? "", /batchSize/);

    await quickInput.box(page).fill("5");
    await refusal.waitFor({ state: "hidden", timeout: 30_000 });
    await page.keyboard.press("Enter");
    await session.waitOrScreenshot("parameters-no-second-step", () => quickInput.title(page).filter({ hasText: "Run flow upstream-flow: shout" }).waitFor({ timeout: 30_000 }));
    await quickInput.box(page).fill("true");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "true" }).first().waitFor();
    await page.keyboard.press("Enter");

    const outcome = notification(page, "of upstream-flow ended");
    await session.waitOrScreenshot("parameters-no-outcome", () => outcome.waitFor({ timeout: 120_000 }));
    await session.screenshot("parameters-run-completed");
    assert.match((await outcome.textContent()) ?? "", /ended Completed/);
    const [run] = storedRuns(session.workspace, "upstream-flow");
    assert.deepEqual(run?.parameters, { batchSize: 5, shout: true }, "the run took the typed values");
    assert.deepEqual(run?.result, { batchId: "batch-5-510", rows: 5 });
  });

  it("registers the workspace's deployments and lists them with their schedules", async () => {
    const { page } = session;
    await session.runCommand("Register Deployments and Automations of the Workspace");
    const registered = notification(page, "Registered 3 deployments and 1 automation");
    await session.waitOrScreenshot("deployments-not-registered", () => registered.waitFor({ timeout: 120_000 }));
    await openTributarySidebar(page);
    const deployments = sidebarPane(page, "Deployments");
    const upstream = treeRow(deployments, UPSTREAM);
    const downstream = treeRow(deployments, DOWNSTREAM);
    await session.waitOrScreenshot("deployments-not-listed", () => upstream.waitFor({ timeout: 60_000 }));
    assert.match((await upstream.textContent()) ?? "", /every week · next in (\d+ days?( \d+ hours?)?( \d+ minutes?)?|\d+ hours?( \d+ minutes?)?|\d+ minutes?|less than a minute)/);
    assert.match((await downstream.textContent()) ?? "", /no schedule/);
    // Upstream's deployment has not run: the runs the scheduler made ahead have not happened (the
    // runs from the lenses are no deployment's). Downstream's has: the automation ran it after each.
    await upstream.locator(".codicon-circle-outline").waitFor({ timeout: 10_000 });
    await downstream.locator(".codicon-pass").waitFor({ timeout: 60_000 });
    await session.screenshot("deployments-listed");
  });

  it("runs a deployment from the view's context menu and shows it passed", async () => {
    const { page } = session;
    const upstream = treeRow(sidebarPane(page, "Deployments"), UPSTREAM);
    await chooseFromContextMenu(page, upstream, "Run Deployment");
    const started = notification(page, new RegExp(`Deployment run [a-z]+-[a-z]+ of ${UPSTREAM} started`));
    await session.waitOrScreenshot("deployment-run-not-started", () => started.waitFor({ timeout: 60_000 }));
    const runName = /Deployment run ([a-z]+-[a-z]+) of/.exec((await started.textContent()) ?? "")?.[1];
    // Its end is told as a ▶ run's is, naming the deployment.
    const ended = notification(page, `Flow run '${runName}' of upstream-flow (deployment ${UPSTREAM}) ended Completed in `);
    await session.waitOrScreenshot("deployment-run-not-passed", () => Promise.all([upstream.locator(".codicon-pass").waitFor({ timeout: 120_000 }), ended.waitFor({ timeout: 120_000 })]));
    assert.match((await ended.textContent()) ?? "", /ended Completed in [\d.]+ m?s \(1 task run\)\.$/);
    await session.screenshot("deployment-run-passed");
    const run = storedRuns(session.workspace, "upstream-flow").find((r) => r.name === runName);
    assert.equal(run?.state.type, "COMPLETED", `the run the notification named (${runName}) completed`);
    assert.deepEqual(run?.parameters, { batchSize: 10 }, "with the deployment's parameters");
  });

  it("shows the run the automation started downstream without a refresh, and what the automation links", async () => {
    const { page } = session;
    // Its third run (after those of the two lens runs) passed: the Flow Runs view, showing downstream-flow's runs only, has three passed rows.
    await session.runCommand("Tributary: Filter Flow Runs by Flow…");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "downstream-flow" }).first().click();
    const passed = sidebarPane(page, "Flow Runs").locator(".monaco-list-row", { hasText: "downstream-flow · ", has: page.locator(".codicon-pass") });
    await session.waitOrScreenshot("automation-run-not-shown", () => passed.nth(2).waitFor({ timeout: 120_000 }));
    await session.runCommand("Tributary: Clear Flow Run Filters");
    const automation = treeRow(sidebarPane(page, "Automations"), "downstream-after-upstream");
    await automation.waitFor({ timeout: 30_000 });
    assert.match((await automation.textContent()) ?? "", /enabled · upstream-flow Completed → run downstream-flow\/downstream-processing/);
    await session.waitOrScreenshot("automation-not-triggered", () => automation.filter({ hasText: /triggered \d\d:\d\d:\d\d/ }).waitFor({ timeout: 30_000 }));
    await session.screenshot("automation-run-shown");
    await screenshotSidebar(page, "sidebar-deployments");
    const runs = storedRuns(session.workspace, "downstream-flow");
    assert.equal(runs.length, 3, "three downstream runs, each the automation's");
    assert.ok(runs[0]!.chain.some((link) => link.kind === "deployment" && link.name === UPSTREAM), "the newest followed the upstream deployment's run");
    assert.deepEqual(runs[0]!.parameters, { upstreamBatchId: "batch-10-1045" }, "templated from the upstream deployment run's result");
    assert.deepEqual(runs[1]!.parameters, { upstreamBatchId: "batch-5-510" }, "the one before followed the run with parameters");
    assert.ok(runs.every((r) => r.state.type === "COMPLETED"));
  });

  it("pauses a deployment from the view, and a run of it offers to resume it first", async () => {
    const { page } = session;
    await session.runCommand("Notifications: Clear All Notifications");
    const upstream = treeRow(sidebarPane(page, "Deployments"), UPSTREAM);
    await chooseFromContextMenu(page, upstream, "Pause Deployment");
    await session.waitOrScreenshot("deployment-not-paused", () => upstream.filter({ hasText: "every week · paused" }).waitFor({ timeout: 60_000 }));
    await upstream.locator(".codicon-debug-pause").waitFor({ timeout: 10_000 });
    await session.screenshot("deployment-paused");

    await chooseFromContextMenu(page, upstream, "Run Deployment");
    const refusal = page.locator(".notifications-toasts .notification-list-item", { hasText: `Deployment ${UPSTREAM} is paused: it starts no runs until it is resumed.` }).first();
    await session.waitOrScreenshot("deployment-paused-no-refusal", () => refusal.waitFor({ timeout: 60_000 }));
    await refusal.locator(".monaco-button", { hasText: "Resume and Run" }).click();
    const started = notification(page, new RegExp(`Deployment run [a-z]+-[a-z]+ of ${UPSTREAM} started`));
    await session.waitOrScreenshot("deployment-resumed-not-started", () => started.waitFor({ timeout: 60_000 }));
    await upstream.filter({ hasText: /every week · next in / }).waitFor({ timeout: 60_000 });
    const runName = /Deployment run ([a-z]+-[a-z]+) of/.exec((await started.textContent()) ?? "")?.[1];
    await session.screenshot("deployment-resumed-and-run");
    const run = storedRuns(session.workspace, "upstream-flow").find((r) => r.name === runName);
    assert.deepEqual(run?.parameters, { batchSize: 10 }, `the run the notification named (${runName}) is the deployment's`);
  });

  it("Run Deployment refused for a missing parameter offers Run with Parameters…, which asks for it and runs", async () => {
    const { page } = session;
    await session.runCommand("Notifications: Clear All Notifications");
    const sized = treeRow(sidebarPane(page, "Deployments"), SIZED);
    await chooseFromContextMenu(page, sized, "Run Deployment");
    const refusal = page.locator(".notifications-toasts .notification-list-item", { hasText: `Deployment ${SIZED} did not run:` }).first();
    await session.waitOrScreenshot("sized-no-refusal", () => refusal.waitFor({ timeout: 60_000 }));
    assert.match((await refusal.textContent()) ?? "", /size/, "the refusal names the missing parameter");
    assert.doesNotMatch((await refusal.textContent()) ?? "", /\(deployment "/, "and names the deployment once");
    // The source line every notification of the extension has.
    await refusal.locator(".notification-list-item-source", { hasText: "Tributary" }).waitFor({ timeout: 10_000 });
    await refusal.locator(".monaco-button", { hasText: "Show Log" }).waitFor({ timeout: 10_000 });
    await session.screenshot("deployment-run-refused");
    await refusal.locator(".monaco-button", { hasText: "Run with Parameters…" }).click();
    const prompt = quickInput.title(page).filter({ hasText: `Run deployment ${SIZED}: size` });
    await session.waitOrScreenshot("sized-no-prompt", () => prompt.waitFor({ timeout: 30_000 }));
    await quickInput.box(page).fill("7");
    await page.keyboard.press("Enter");
    const started = notification(page, new RegExp(`Deployment run [a-z]+-[a-z]+ of ${SIZED} started`));
    await session.waitOrScreenshot("sized-not-started", () => started.waitFor({ timeout: 60_000 }));
    const runName = /Deployment run ([a-z]+-[a-z]+) of/.exec((await started.textContent()) ?? "")?.[1];
    await session.waitOrScreenshot("sized-not-passed", () => sized.locator(".codicon-pass").waitFor({ timeout: 120_000 }));
    const run = storedRuns(session.workspace, "sized-flow").find((r) => r.name === runName);
    assert.deepEqual(run?.parameters, { size: 7 });
    assert.equal(run?.result, "b-7:14");
  });

  it("with tributary.notifications.automationRuns off, the run an automation starts ends without a notification (the log says it)", async () => {
    const { page } = session;
    await session.runCommand("Notifications: Clear All Notifications");
    const before = storedRuns(session.workspace, "downstream-flow").length;
    await session.setBooleanSetting("tributary.notifications.automationRuns", false);
    await session.waitOrScreenshot("silenced-setting-not-read", () => session.waitForExtensionLog(/Notifications of the runs automations start are off \(tributary\.notifications\.automationRuns\)\./, 60_000));
    const upstream = treeRow(sidebarPane(page, "Deployments"), UPSTREAM);
    await chooseFromContextMenu(page, upstream, "Run Deployment");
    const ended = notification(page, new RegExp(`of upstream-flow \\(deployment ${UPSTREAM}\\) ended Completed`));
    await session.waitOrScreenshot("silenced-deployment-run-not-told", () => ended.waitFor({ timeout: 120_000 }));
    // The automation then runs downstream: its end is logged, and no toast says it.
    const logged = await session.waitForExtensionLog(/of downstream-flow \(automation downstream-after-upstream\) ended Completed .*\(No notification: tributary\.notifications\.automationRuns is off\.\)/, 120_000);
    const name = /Flow run '([a-z]+-[a-z]+)'/.exec(logged)?.[1];
    assert.equal(await notification(page, `Flow run '${name}' of downstream-flow`).count(), 0, "no notification of the automation's run");
    await session.screenshot("silenced-automation-run");
    assert.equal(storedRuns(session.workspace, "downstream-flow").length, before + 1, "the automation did run downstream");
  });
});
