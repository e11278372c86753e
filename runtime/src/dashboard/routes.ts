/**
 * Every view of the dashboard, in the order of the navigation. Flow Runs and a run's page, where a
 * sign-in lands, are in the first script; the views that bring libraries of their own (the graph
 * layout, the schedule parsers) are chunks fetched when first shown, and preloaded once the first
 * view is drawn.
 */
import { deploymentOutline, deploymentsOutline, dependencyGraphOutline, runGraphOutline } from "./page-outlines.js";
import { lazyPage, type Page } from "./page.js";
import { automationsPage } from "./pages/automations.js";
import { flowRunPage } from "./pages/flow-run.js";
import { flowRunsPage } from "./pages/flow-runs.js";
import { workersPage } from "./pages/workers.js";

export const deploymentsPage = lazyPage(deploymentsOutline, async () => (await import("./pages/deployments.js")).deploymentsPage);
export const deploymentPage = lazyPage(deploymentOutline, async () => (await import("./pages/deployment.js")).deploymentPage);
export const dependencyGraphPage = lazyPage(dependencyGraphOutline, async () => (await import("./pages/dependency-graph.js")).dependencyGraphPage);
export const runGraphPage = lazyPage(runGraphOutline, async () => (await import("./pages/run-graph.js")).runGraphPage);

export const PAGES: readonly Page[] = [flowRunsPage, flowRunPage, deploymentsPage, deploymentPage, automationsPage, dependencyGraphPage, workersPage, runGraphPage];

/** Fetches the code of every lazy view, so that going to one later waits for nothing. */
export function preloadPages(): void {
  for (const page of [deploymentsPage, deploymentPage, dependencyGraphPage, runGraphPage]) void page.load().catch(() => undefined);
}
