/**
 * What the deployment scenarios look for in VS Code's UI: the Tributary sidebar's panes and rows,
 * notifications, context menus, the quick input; and the workspace's store read with the CLI.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { ARTIFACTS, ROOT } from "./code-server-setup.js";

/**
 * Opens the Tributary container from the activity bar, unless it is showing already (a run
 * revealed in Flow Runs opens it; clicking its icon then would close the sidebar).
 */
export async function openTributarySidebar(page: Page): Promise<void> {
  const header = page.locator(".part.sidebar .pane-header", { hasText: "Deployments" }).first();
  if (!(await header.isVisible())) await page.locator(".activitybar .action-item a[aria-label^='Tributary']").first().click();
  await header.waitFor({ timeout: 60_000 });
}

/** A view of the sidebar by its name (`Deployments`, `Automations`). */
export function sidebarPane(page: Page, name: string): Locator {
  return page.locator(".part.sidebar .pane", { has: page.locator(".pane-header", { hasText: name }) });
}

/** The row of a tree item, found by its label. */
export function treeRow(pane: Locator, label: string): Locator {
  return pane.locator(".monaco-list-row", { hasText: label }).first();
}

export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator(".notifications-toasts .notification-list-item-message", { hasText: text }).first();
}

/**
 * Right-clicks `row` and chooses the menu entry labelled exactly `label`: hovered (which focuses
 * it) and Enter, because a click that lands while the menu is still settling is sometimes ignored.
 */
export async function chooseFromContextMenu(page: Page, row: Locator, label: string): Promise<void> {
  await row.click({ button: "right" });
  const entry = page.locator(".context-view .action-label", { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).first();
  await entry.waitFor({ timeout: 30_000 });
  await entry.hover();
  await page.locator(".context-view .action-item.focused", { hasText: label }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  await entry.waitFor({ state: "detached", timeout: 10_000 });
}

export const quickInput = {
  title: (page: Page) => page.locator(".quick-input-widget .quick-input-title"),
  box: (page: Page) => page.locator(".quick-input-widget .quick-input-box input"),
  message: (page: Page) => page.locator(".quick-input-widget .quick-input-message"),
};

/** A screenshot of the sidebar alone, for the docs: widened first (its sash dragged) so that descriptions show whole. */
export async function screenshotSidebar(page: Page, name: string, width = 640): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  const sidebar = page.locator(".part.sidebar");
  const box = await sidebar.boundingBox();
  if (box && box.width < width) {
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width + 1, y);
    await page.mouse.down();
    await page.mouse.move(box.x + width, y, { steps: 5 });
    await page.mouse.up();
  }
  await sidebar.screenshot({ path: file });
  return file;
}

/** A flow run as `tributary flow-run inspect --json` prints it. */
export interface InspectedRun {
  id: string;
  name: string;
  flowName: string;
  state: { type: string; name: string };
  parameters: Record<string, unknown>;
  result?: unknown;
  /** Which runs, deployments and automations led to the run, oldest first, ending with the run itself. */
  chain: { kind: string; name: string }[];
}

/** The runs of `flowName` in the workspace's store, newest first, read with the CLI (no server). */
export function storedRuns(workspace: string, flowName: string): InspectedRun[] {
  const cli = path.join(ROOT, "runtime", "bin", "tributary.js");
  const { TRIBUTARY_API_URL: _url, ...env } = process.env;
  const list = JSON.parse(execFileSync(process.execPath, [cli, "flow-run", "ls", "--flow-name", flowName, "--json"], { cwd: workspace, env, encoding: "utf8" })) as { id: string }[];
  return list.map((run) => JSON.parse(execFileSync(process.execPath, [cli, "flow-run", "inspect", run.id, "--json"], { cwd: workspace, env, encoding: "utf8" })) as InspectedRun);
}
