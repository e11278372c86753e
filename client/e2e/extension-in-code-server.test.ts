/**
 * End to end in a real VS Code (code-server 4.100.3, headless Chromium): the packaged extension
 * starts the language server, the Problems panel lists the dependency cycle of the fixture with
 * its hops, and breaking the cycle in the editor clears it. Every wait is on what the UI shows.
 * Skipped, saying why, when scripts/setup-code-server.sh has not run.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CodeServerSession } from "./code-server-session.js";
import { missingSetup, packageExtension, ROOT } from "./code-server-setup.js";

const skip = missingSetup() ?? false;

describe("a dependency cycle in VS Code", { skip, timeout: 240_000 }, () => {
  let session: CodeServerSession;
  const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));

  before(async () => {
    const vsix = packageExtension(packages);
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "test-fixtures", "e2e", "cycle-workspace") });
  });

  after(async () => {
    await session?.close();
    rmSync(packages, { recursive: true, force: true });
  });

  it("lists TRB100 in Problems at the call that closes the cycle, naming every hop", async () => {
    const { page } = session;
    await session.openFile("ingest-flow.ts");
    await session.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
    const problems = page.locator(".markers-panel");
    const cycle = problems.locator(".monaco-list-row", { hasText: "TRB100" });
    try {
      await cycle.first().waitFor({ timeout: 90_000 });
    } catch (error) {
      await session.screenshot("cycle-diagnostics-missing");
      throw error;
    }
    const row = (await cycle.first().getAttribute("aria-label")) ?? "";
    await session.screenshot("cycle-diagnostics-problem");
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
