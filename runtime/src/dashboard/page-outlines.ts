/**
 * The path, navigation label and title of the views whose code is fetched when first shown
 * (routes.ts): the navigation needs them before that code is there, and each page spreads its own
 * outline from here, so the two cannot differ.
 */
import type { PageOutline } from "./page.js";

export const deploymentsOutline: PageOutline = { path: "/deployments", nav: "Deployments", title: () => "Deployments" };
export const deploymentOutline: PageOutline = { path: "/deployments/:name", title: (params) => `Deployment ${params.name}` };
export const dependencyGraphOutline: PageOutline = { path: "/graph", nav: "Graph", title: () => "Graph" };
export const runGraphOutline: PageOutline = { path: "/runs/:id/graph", title: () => "Run graph" };
