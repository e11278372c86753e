/**
 * End to end in a real VS Code (code-server, headless Chromium) on a project as a user makes it,
 * outside the repository: `tributary init`, then the packed tributaryjs installed from its tarball
 * with no network. The extension must use that project's copy: the Problems panel holds no error
 * for the example flows, ▶ Run flow runs one and Flow Runs shows it, and the status bar's tooltip
 * and the log name the workspace's tributaryjs and its version.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { createInitedProject, type PackedProject } from "../../runtime/src/test-support/packed-package.js";
import { CodeServerSession } from "./code-server-session.js";
import { describeE2e, packageExtension, ROOT } from "./code-server-setup.js";

const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));
const UI_WAIT = 120_000;
const { version } = JSON.parse(readFileSync(path.join(ROOT, "runtime", "package.json"), "utf8")) as { version: string };

describeE2e("the extension on a project made by tributary init", { timeout: 900_000 }, () => {
  let project: PackedProject;
  let session: CodeServerSession;
  let installed: string;

  before(async () => {
    project = await createInitedProject();
    installed = path.join(project.dir, "node_modules", "tributaryjs");
    const vsix = packageExtension(packages);
    session = await CodeServerSession.start({ vsix, openFolder: project.dir });
    session.page.setDefaultTimeout(UI_WAIT);
  });
  after(async () => {
    await session?.close();
    await project?.dispose();
    rmSync(packages, { recursive: true, force: true });
  });

  it("checks the example flows with the project's tributaryjs: no error in Problems, and no TRB160", async () => {
    const { page } = session;
    await session.openFile("flows/upstream.ts");
    // Lenses come from the analysis, after the first publication of every file's diagnostics.
    const lens = page.locator(".codelens-decoration a", { hasText: "▶ Run flow" }).first();
    await session.waitOrScreenshot("workspace-package-no-lens", () => lens.waitFor({ timeout: UI_WAIT }));
    await session.openFile("flows/downstream.ts");
    await session.waitOrScreenshot("workspace-package-no-downstream-lens", () => page.locator(".codelens-decoration a", { hasText: "▶ Run deployment" }).first().waitFor({ timeout: UI_WAIT }));
    await session.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
    const problems = page.locator(".markers-panel");
    await problems.waitFor();
    await session.screenshot("workspace-package-problems");
    const rows = await problems.locator(".monaco-list-row").allTextContents();
    assert.equal(await problems.locator(".monaco-list-row .codicon-error").count(), 0, `no error in Problems: ${JSON.stringify(rows)}`);
    assert.ok(!rows.some((row) => row.includes("TRB160")), `tributaryjs is installed, so no TRB160: ${JSON.stringify(rows)}`);
    // The language server analysed the folder with the project's own copy (the workspace is trusted).
    const log = session.extensionLog();
    assert.match(log, new RegExp(`the analysis of ${escape(project.dir)} uses tributaryjs ${escape(version)} from the workspace \\(${escape(installed)}\\)`), log);
    // The next scenario opens upstream.ts through Quick Open as this one did, from no open editor.
    await session.runCommand("View: Close All Editors");
    await page.locator(".tab").first().waitFor({ state: "detached" });
  });

  it("runs a flow with ▶ Run flow on the project's tributaryjs, shows it in Flow Runs, and names that copy in the status bar", async () => {
    const { page } = session;
    await session.runCommand("Tributary: Show Flow Runs");
    await page.locator(".statusbar-item", { hasText: "Tributary: 0 running" }).waitFor({ timeout: UI_WAIT });
    await session.waitOrScreenshot("workspace-package-run-not-started", () => session.clickLens("flows/upstream.ts", "▶ Run flow", session.flowRunStarted("upstream-flow")));
    // The one that passed: the run registered flows/upstream.ts's scheduled deployment, whose runs made ahead are upstream-flow rows too.
    const passed = page.locator(".custom-view-tree-node-item-icon.codicon-pass");
    const run = page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Flow Runs" }) }).locator(".monaco-list-row").filter({ hasText: "upstream-flow · ", has: passed }).first();
    await session.waitOrScreenshot("workspace-package-no-run", () => run.waitFor({ timeout: UI_WAIT }));
    assert.match((await run.textContent()) ?? "", /Completed/);
    const log = session.extensionLog();
    assert.match(log, new RegExp(`tributary run uses tributaryjs ${escape(version)} from the workspace \\(${escape(installed)}\\)`), log);
    assert.match(log, new RegExp(`The local orchestration server uses tributaryjs ${escape(version)} from the workspace \\(${escape(installed)}\\)`), log);

    const tooltip = page.locator(".monaco-hover, .workbench-hover", { hasText: "Flows and the local server use" }).first();
    const item = page.locator(".statusbar-item", { hasText: "Tributary:" }).first();
    assert.match(await session.hoverText("workspace-package-no-tooltip", item, tooltip), new RegExp(`Flows and the local server use tributaryjs ${escape(version)} from the workspace \\(${escape(installed)}\\)`));
    await session.screenshot("workspace-package-status-tooltip");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
