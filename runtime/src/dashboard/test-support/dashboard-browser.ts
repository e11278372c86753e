/**
 * For the dashboard's browser tests: Debian's Chromium through playwright-core (never a downloaded
 * browser), the reason to skip when it or the built dashboard is missing, and a page signed in
 * through a one-time link as a user would be.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { mintSignInLink } from "../../orchestrator/test-support/dashboard-session.js";
import { repoRoot } from "../../orchestrator/test-support/server-harness.js";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
/** The built dashboard, as `tributary server start` serves it (`dashboardDir`). */
export const BUILT_DASHBOARD = path.join(repoRoot, "runtime/dist/dashboard");

/** Why a browser test cannot run here, or undefined when it can (the `skip` of its describe). */
export const browserTestsMissing: string | undefined = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing: run scripts/setup-code-server.sh (it installs Debian's chromium)`
  : !existsSync(path.join(BUILT_DASHBOARD, "dashboard.js"))
    ? "the dashboard is not built (runtime/dist/dashboard): run npm run build"
    : undefined;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/**
 * A new page of `context` signed in to the server at `url` with a fresh one-time link, on the
 * Flow Runs view once the session key is taken (the navigation is drawn then).
 */
export async function signedInPage(context: BrowserContext, url: string, token: string): Promise<Page> {
  const page = await context.newPage();
  const link = await mintSignInLink(url, token);
  await page.goto(link.url, { timeout: 60_000 });
  await page.locator("nav a[aria-current=page]").waitFor({ timeout: 60_000 });
  return page;
}

/** Where the browser tests leave their screenshots (`scripts/update-doc-screenshots.mjs` copies the README's into docs/images). */
export const DASHBOARD_ARTIFACTS = path.join(repoRoot, "test-artifacts", "dashboard");

/** Saves what `page` shows as test-artifacts/dashboard/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(DASHBOARD_ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(DASHBOARD_ARTIFACTS, `${name}.png`) });
}
