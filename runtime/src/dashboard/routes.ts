/** Every view of the dashboard, in the order of the navigation. */
import type { Page } from "./page.js";
import { dependencyGraphPage } from "./pages/dependency-graph.js";
import { flowRunsPage } from "./pages/flow-runs.js";
import { runGraphPage } from "./pages/run-graph.js";

export const PAGES: readonly Page[] = [flowRunsPage, dependencyGraphPage, runGraphPage];
