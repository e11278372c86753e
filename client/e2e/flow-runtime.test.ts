/**
 * End to end: no `node` on the PATH and `tributary.nodePath` unset, so ▶ Run flow falls back to
 * VS Code's own runtime — here code-server's, which is the Node running this test (plain Node, not
 * Electron). The flow runs on it when its Node has node:sqlite (22.13+/24), or when the .vsix ships
 * better-sqlite3 built beside its bundled copy; otherwise the user is told which Node to install,
 * with a button to the setting, and nothing runs. Two .vsix files: the one packaged, and a copy
 * without better-sqlite3 (as a .vsix on node:sqlite alone is), so the message is seen on Node 20.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { CodeServerSession } from "./code-server-session.js";
import { describeE2e, missingSetup, packageExtension, ROOT } from "./code-server-setup.js";

const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));
const BETTER_SQLITE3 = "extension/runtime/node_modules/better-sqlite3/";
let vsix = "";
let vsixWithoutBetterSqlite3 = "";
let shipsBetterSqlite3 = false;

/** `unzip` and `zip` read and rewrite the .vsix (a zip file); without them the second case is skipped. */
const zipTools = spawnSync("zip", ["-v"], { stdio: "ignore" }).status === 0 && spawnSync("unzip", ["-v"], { stdio: "ignore" }).status === 0;

before(() => {
  if (missingSetup() !== undefined) return;
  vsix = packageExtension(packages);
  if (!zipTools) return;
  shipsBetterSqlite3 = execFileSync("unzip", ["-Z1", vsix], { encoding: "utf8" }).includes(`${BETTER_SQLITE3}build/Release/better_sqlite3.node`);
  vsixWithoutBetterSqlite3 = path.join(packages, "without-better-sqlite3.vsix");
  copyFileSync(vsix, vsixWithoutBetterSqlite3);
  if (shipsBetterSqlite3) execFileSync("zip", ["-q", "-d", vsixWithoutBetterSqlite3, `${BETTER_SQLITE3}*`]);
});
after(() => rmSync(packages, { recursive: true, force: true }));

/** Whether code-server's runtime (this Node) loads node:sqlite without a flag. */
const hostHasNodeSqlite = spawnSync(process.execPath, ["-e", 'require("node:sqlite")'], { stdio: "ignore" }).status === 0;
const HOST = `Node ${process.versions.node}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Opens the seed examples with no node on the PATH, clicks ▶ Run flow over the orchestrator and checks the outcome `expected`. */
function runWithoutNodeOnPath(name: string, packaged: () => string, expected: () => { runsWith: string } | "message", skip: string | false = false): void {
  describeE2e(name, { timeout: 240_000 }, () => {
    let session: CodeServerSession;
    const emptyBin = mkdtempSync(path.join(os.tmpdir(), "tributary-no-node-"));

    before(async () => {
      if (skip !== false) return;
      session = await CodeServerSession.start({ vsix: packaged(), fixture: path.join(ROOT, "examples"), env: { PATH: emptyBin } });
    });
    after(async () => {
      await session?.close();
      rmSync(emptyBin, { recursive: true, force: true });
    });

    it(`on code-server's runtime (${HOST}${hostHasNodeSqlite ? ", with node:sqlite" : ", without node:sqlite"})`, { skip }, async () => {
      const { page } = session;
      const toast = (text: string) => page.locator(".notifications-toasts .notification-list-item", { hasText: text }).first();
      const noRuntime = toast("Tributary found no Node.js to run flows");
      const outcome = expected();
      await session.waitOrScreenshot("no-node-not-started", () => session.clickLens("orchestrator-flow.ts", "▶ Run flow", session.flowRunStarted("orchestrator-flow").or(noRuntime)));

      if (outcome !== "message") {
        const ended = toast("of orchestrator-flow ended");
        await session.waitOrScreenshot("no-node-no-outcome", () => ended.waitFor({ timeout: 90_000 }));
        assert.match((await ended.textContent()) ?? "", /ended Completed/);
        assert.match(session.extensionLog(), new RegExp(`Flows and the local server run on ${escape(outcome.runsWith)}\\.`));
        return;
      }

      await session.waitOrScreenshot("no-node-no-message", () => noRuntime.waitFor({ timeout: 90_000 }));
      await session.screenshot("no-node-message");
      const text = (await noRuntime.locator(".notification-list-item-message").textContent()) ?? "";
      assert.match(text, new RegExp(`there is no node on the PATH; VS Code's runtime is ${escape(HOST)}, which has no node:sqlite`));
      assert.match(text, /Install Node\.js 22\.13 or later \(24 LTS recommended\) or set tributary\.nodePath to one\./);
      assert.match(session.extensionLog(), /Tributary found no Node\.js to run flows/);
      assert.ok(!existsSync(path.join(session.workspace, ".tributary", "tributary.db")), "nothing ran: no store was created");

      // Its button opens the setting (among the remote's settings: code-server is a remote window).
      await noRuntime.hover();
      await noRuntime.locator(".monaco-button", { hasText: "Open Setting" }).click();
      await session.waitOrScreenshot("no-node-no-setting", () => page.locator(".settings-editor .setting-item", { hasText: "Node Path" }).first().waitFor({ timeout: 30_000 }));
    });
  });
}

runWithoutNodeOnPath(
  "▶ Run flow with no node on the PATH, the .vsix as packaged",
  () => vsix,
  () => (hostHasNodeSqlite ? { runsWith: `VS Code's runtime (${HOST})` } : shipsBetterSqlite3 ? { runsWith: `VS Code's runtime (${HOST}), with the bundled better-sqlite3` } : "message"),
  zipTools ? false : "unzip and zip are needed to read the .vsix",
);

runWithoutNodeOnPath(
  "▶ Run flow with no node on the PATH, a .vsix without better-sqlite3",
  () => vsixWithoutBetterSqlite3,
  () => (hostHasNodeSqlite ? { runsWith: `VS Code's runtime (${HOST})` } : "message"),
  zipTools ? false : "unzip and zip are needed to rewrite the .vsix",
);
