/**
 * End to end in a real VS Code (code-server 4.100.3, headless Chromium): the packaged extension,
 * installed as a user would, on fixture workspaces. Every wait is on what the UI shows. One file
 * so that the scenarios share one .vsix and run one after the other (each starts a code-server).
 * Skipped, saying why, when scripts/setup-code-server.sh has not run.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { CodeServerSession } from "./code-server-session.js";
import { describeE2e, missingSetup, packageExtension, ROOT } from "./code-server-setup.js";

const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));
let vsix = "";

before(() => {
  if (missingSetup() === undefined) vsix = packageExtension(packages);
});
after(() => rmSync(packages, { recursive: true, force: true }));

describeE2e("a dependency cycle in VS Code", { timeout: 240_000 }, () => {
  let session: CodeServerSession;

  before(async () => {
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "test-fixtures", "e2e", "cycle-workspace") });
  });
  after(() => session?.close());

  it("lists TRB100 in Problems at the call that closes the cycle, naming every hop", async () => {
    const { page } = session;
    await session.openFile("ingest-flow.ts");
    await session.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
    const problems = page.locator(".markers-panel");
    const cycle = problems.locator(".monaco-list-row", { hasText: "TRB100" }).first();
    await session.waitOrScreenshot("cycle-diagnostics-missing", () => cycle.waitFor({ timeout: 90_000 }));
    await session.screenshot("cycle-diagnostics-problem");
    const row = (await cycle.getAttribute("aria-label")) ?? "";
    assert.match(row, /Dependency cycle: ingest → report → ingest/);
    assert.match(row, /line 7/);
    // The hops are the diagnostic's related information: rows under the problem, each at its call.
    const hops = [
      { at: "ingest-flow.ts[Ln 7, Col 9]", says: 'flow "ingest" calls flow "report" as a subflow and waits for it' },
      { at: "report-flow.ts[Ln 4, Col 21]", says: 'flow "report" waits for a run of flow "ingest"' },
    ];
    for (const hop of hops) {
      const text = (await problems.locator(".monaco-list-row", { hasText: hop.says }).first().textContent()) ?? "";
      assert.ok(text.includes(hop.at), `the hop "${hop.says}" is shown at ${hop.at}: ${text}`);
    }
  });

  it("clears the problem when an edit breaks the cycle", async () => {
    const { page } = session;
    await session.openFile("ingest-flow.ts");
    // Line 7 is `await report();`: delete it, unsaved; the server analyses the open document.
    await page.keyboard.press("Control+G");
    await page.keyboard.type("7");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+Shift+K");
    await page.locator(".monaco-editor .view-line", { hasText: "await report()" }).waitFor({ state: "detached" });
    await session.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
    await page.locator(".markers-panel .monaco-list-row", { hasText: "TRB100" }).first().waitFor({ state: "detached", timeout: 60_000 });
    await session.screenshot("cycle-diagnostics-cleared");
  });
});

describeE2e("▶ Run flow over the seed's orchestrator", { timeout: 240_000 }, () => {
  let session: CodeServerSession;

  before(async () => {
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "examples") });
  });
  after(() => session?.close());

  it("runs the flow in a child process and says how the run ended", async () => {
    const { page } = session;
    await session.waitOrScreenshot("run-flow-not-started", () => session.clickLens("orchestrator-flow.ts", "▶ Run flow", session.flowRunStarted("orchestrator-flow")));
    const outcome = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "of orchestrator-flow ended" }).first();
    await session.waitOrScreenshot("run-flow-no-outcome", () => outcome.waitFor({ timeout: 90_000 }));
    await session.screenshot("run-flow-completed");
    const text = (await outcome.textContent()) ?? "";
    assert.match(text, /ended Completed in [\d.]+ (ms|s) \(3 subflow runs\)/);
    assert.ok(existsSync(path.join(session.workspace, ".tributary", "tributary.db")), "the run is stored in the workspace's .tributary/ store");
  });
});

describeE2e("an untrusted workspace", { timeout: 240_000 }, () => {
  let session: CodeServerSession;

  before(async () => {
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "test-fixtures", "e2e", "cycle-workspace"), trusted: false });
  });
  after(() => session?.close());

  it("shows the cycle but refuses to run a flow, saying why", async () => {
    const { page } = session;
    await session.openFile("ingest-flow.ts");
    await session.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
    const cycle = page.locator(".markers-panel .monaco-list-row", { hasText: "TRB100" }).first();
    await session.waitOrScreenshot("untrusted-no-diagnostics", () => cycle.waitFor({ timeout: 90_000 }));
    const refusal = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "does not run flows in an untrusted workspace" }).first();
    await session.waitOrScreenshot("untrusted-no-refusal", () => session.clickLens("ingest-flow.ts", "▶ Run flow", refusal));
    await session.screenshot("untrusted-refused");
    assert.match((await refusal.textContent()) ?? "", /running executes this workspace's code/);
    assert.ok(!existsSync(path.join(session.workspace, ".tributary")), "nothing ran: no store was created");
  });
});
