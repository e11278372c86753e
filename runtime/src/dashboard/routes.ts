/** Every view of the dashboard, in the order of the navigation. */
import type { Page } from "./page.js";
import { flowRunsPage } from "./pages/flow-runs.js";

export const PAGES: readonly Page[] = [flowRunsPage];
