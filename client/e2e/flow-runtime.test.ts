/**
 * End to end: no `node` on the PATH and `tributary.nodePath` unset, so ▶ Run flow falls back to
 * VS Code's own runtime — here code-server's, which is the Node running this test. When that Node
 * has node:sqlite (22.13+/24) the flow runs on it; when it has none (Node 20) the user is told
 * which Node to install, with a button to the setting, and nothing runs.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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

/** Whether code-server's runtime (this Node) loads node:sqlite without a flag. */
const hostHasNodeSqlite = spawnSync(process.execPath, ["-e", 'require("node:sqlite")'], { stdio: "ignore" }).status === 0;

describeE2e("▶ Run flow with no node on the PATH", { timeout: 240_000 }, () => {
  let session: CodeServerSession;
  const emptyBin = mkdtempSync(path.join(os.tmpdir(), "tributary-no-node-"));

  before(async () => {
    session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "examples"), env: { PATH: emptyBin } });
  });
  after(async () => {
    await session?.close();
    rmSync(emptyBin, { recursive: true, force: true });
  });

  it(`${hostHasNodeSqlite ? "runs the flow on VS Code's runtime" : "says which Node to install, since VS Code's runtime has no node:sqlite"} (Node ${process.versions.node})`, async () => {
    const { page } = session;
    const toast = (text: string) => page.locator(".notifications-toasts .notification-list-item", { hasText: text }).first();
    const noRuntime = toast("Tributary found no Node.js to run flows");
    await session.waitOrScreenshot("no-node-not-started", () => session.clickLens("orchestrator-flow.ts", "▶ Run flow", session.flowRunStarted("orchestrator-flow").or(noRuntime)));

    if (hostHasNodeSqlite) {
      const outcome = toast("of orchestrator-flow ended");
      await session.waitOrScreenshot("no-node-no-outcome", () => outcome.waitFor({ timeout: 90_000 }));
      assert.match((await outcome.textContent()) ?? "", /ended Completed/);
      assert.match(session.extensionLog(), new RegExp(`Flows and the local server run on VS Code's runtime \\(Node ${process.versions.node.replace(/\./g, "\\.")}\\)`));
      return;
    }

    await session.waitOrScreenshot("no-node-no-message", () => noRuntime.waitFor({ timeout: 90_000 }));
    await session.screenshot("no-node-message");
    const text = (await noRuntime.locator(".notification-list-item-message").textContent()) ?? "";
    assert.match(text, new RegExp(`there is no node on the PATH; VS Code's runtime is Node ${process.versions.node.replace(/\./g, "\\.")}, which has no node:sqlite`));
    assert.match(text, /Install Node\.js 22\.13 or later \(24 LTS recommended\) or set tributary\.nodePath to one\./);
    assert.match(session.extensionLog(), /Tributary found no Node\.js to run flows/);
    assert.ok(!existsSync(path.join(session.workspace, ".tributary", "tributary.db")), "nothing ran: no store was created");

    // Its button opens the setting.
    await noRuntime.hover();
    await noRuntime.locator(".monaco-button", { hasText: "Open Setting" }).click();
    await session.waitOrScreenshot("no-node-no-setting", () => page.locator(".settings-editor .setting-item", { hasText: "Node Path" }).first().waitFor({ timeout: 30_000 }));
  });
});
