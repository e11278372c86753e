// The extension in a real VS Code (code-server, headless Chromium), on a workspace whose store
// holds 100,000 flow runs: (1) activation → language client ready, as the extension logs it
// ("Language server ready in N ms after activation"); (2) Show Flow Runs shown for the first time
// until its first row is drawn, which includes starting the local server on that store; (3) Clear
// Filters (from a state filter) until the newest run's row is drawn again: the first page through
// the extension's whole path — API, model, tree items, VS Code's rendering — with the server up.
// Prints one JSON line (ms).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { CodeServerSession } from "../../client/e2e/code-server-session.js";
import { missingSetup, packageExtension, ROOT } from "../../client/e2e/code-server-setup.js";
import { seedFlowRuns } from "./seed-flow-runs.js";

const count = Number(process.argv[2]);
const WAIT = 180_000;

function findFiles(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...findFiles(full, name));
    else if (entry === name) found.push(full);
  }
  return found;
}

/** Opens the palette on `label`, then times from Enter until `done` resolves. */
async function timeCommand(session: CodeServerSession, label: string, done: () => Promise<unknown>): Promise<number> {
  const { page } = session;
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(`>${label}`);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: label }).first().waitFor();
  const started = performance.now();
  await page.keyboard.press("Enter");
  await done();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const missing = missingSetup();
  if (missing) {
    console.log(JSON.stringify({ skipped: 1 }));
    console.error(missing);
    return;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "tributary-bench-ui-"));
  let session: CodeServerSession | undefined;
  try {
    const fixture = path.join(scratch, "workspace");
    cpSync(path.join(ROOT, "test-fixtures", "e2e", "flow-runs-workspace"), fixture, { recursive: true });
    await seedFlowRuns(path.join(fixture, ".tributary", "tributary.db"), count);
    const vsix = packageExtension(scratch);
    session = await CodeServerSession.start({ vsix, fixture });
    const { page } = session;
    page.setDefaultTimeout(WAIT);

    await session.openFile("orchestrator-flow.ts");
    await page.locator(".codelens-decoration a", { hasText: "▶ Run flow" }).first().waitFor();
    const logs = findFiles(path.join(path.dirname(session.workspace), "user-data", "logs"), "Tributary.log");
    const ready = logs.map((file) => /Language server ready in (\d+) ms after activation/.exec(readFileSync(file, "utf8"))).find(Boolean);
    if (!ready) throw new Error(`no "Language server ready" line in ${logs.join(", ") || "any Tributary.log"}`);
    const activationMs = Number(ready[1]);

    const newest = page.locator(".monaco-list-row", { hasText: `seeded-run-${count - 1}` }).first();
    const firstShowMs = await timeCommand(session, "Tributary: Show Flow Runs", () => newest.waitFor());

    // A state filter, then Clear Filters: the first page again, server already up.
    await page.keyboard.press("F1");
    await page.locator(".quick-input-widget input").fill(">Tributary: Filter Flow Runs by State");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Filter Flow Runs by State" }).first().click();
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Failed" }).first().click();
    await newest.waitFor({ state: "detached" });
    const reloadMs = await timeCommand(session, "Tributary: Clear Flow Run Filters", () => newest.waitFor());
    console.log(JSON.stringify({ activationMs, firstShowMs, reloadMs }));
  } finally {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
