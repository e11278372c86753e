/** Every view of the dashboard, in the order of the navigation. */
import type { Page } from "./page.js";
import { automationsPage } from "./pages/automations.js";
import { dependencyGraphPage } from "./pages/dependency-graph.js";
import { deploymentPage } from "./pages/deployment.js";
import { deploymentsPage } from "./pages/deployments.js";
import { flowRunPage } from "./pages/flow-run.js";
import { flowRunsPage } from "./pages/flow-runs.js";
import { runGraphPage } from "./pages/run-graph.js";
import { workersPage } from "./pages/workers.js";

export const PAGES: readonly Page[] = [flowRunsPage, flowRunPage, deploymentsPage, deploymentPage, automationsPage, dependencyGraphPage, workersPage, runGraphPage];
