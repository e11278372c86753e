/**
 * End to end: which Node runs ▶ Run flow. The .vsix ships no native module (the store is on
 * node:sqlite), so a flow needs a Node 22.13+. With Node 24 first on the PATH it runs there; with
 * no `node` on the PATH and `tributary.nodePath` unset it falls back to VS Code's own runtime —
 * here code-server's, the Node running this test (plain Node, not Electron): the flow runs on it
 * when it has node:sqlite, otherwise the user is told which Node to install, with a button to the
 * setting, and nothing runs.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { CodeServerSession } from "./code-server-session.js";
import { describeE2e, FLOW_NODE_BIN, missingSetup, packageExtension, ROOT } from "./code-server-setup.js";

const packages = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-"));
let vsix = "";

before(() => {
  if (missingSetup() === undefined) vsix = packageExtension(packages);
});
after(() => rmSync(packages, { recursive: true, force: true }));

/** Whether code-server's runtime (this Node) loads node:sqlite without a flag. */
const hostHasNodeSqlite = spawnSync(process.execPath, ["-e", 'require("node:sqlite")'], { stdio: "ignore" }).status === 0;
const HOST = `Node ${process.versions.node}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Opens the seed examples with `bin` as the whole PATH, clicks ▶ Run flow over the orchestrator and checks the outcome `expected`. */
function runFlowWithPath(name: string, bin: () => string, expected: { runsWith: string } | "message"): void {
  describeE2e(name, { timeout: 240_000 }, () => {
    let session: CodeServerSession;
    const emptyBin = mkdtempSync(path.join(os.tmpdir(), "tributary-no-node-"));

    before(async () => {
      session = await CodeServerSession.start({ vsix, fixture: path.join(ROOT, "examples"), env: { PATH: bin() === "" ? emptyBin : bin() } });
    });
    after(async () => {
      await session?.close();
      rmSync(emptyBin, { recursive: true, force: true });
    });

    it(expected === "message" ? "says which Node to install, and runs nothing" : `runs it on ${expected.runsWith.replace(/ \(\/.*\)$/, "")}`, async () => {
      const { page } = session;
      const toast = (text: string) => page.locator(".notifications-toasts .notification-list-item", { hasText: text }).first();
      const noRuntime = toast("Tributary found no Node.js to run flows");
      const outcome = expected;
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

const node24 = spawnSync(path.join(FLOW_NODE_BIN, "node"), ["-p", "process.versions.node"], { encoding: "utf8" }).stdout?.trim() ?? "";

runFlowWithPath("▶ Run flow with Node 24 on the PATH", () => FLOW_NODE_BIN, { runsWith: `Node ${node24} from the PATH (${path.join(FLOW_NODE_BIN, "node")})` });

runFlowWithPath(
  `▶ Run flow with no node on the PATH, on code-server's runtime (${HOST}${hostHasNodeSqlite ? ", with node:sqlite" : ", without node:sqlite"})`,
  () => "",
  hostHasNodeSqlite ? { runsWith: `VS Code's runtime (${HOST})` } : "message",
);
