/**
 * The messages between the graph panels (extension host) and their webview scripts, declared
 * once for both sides.
 */
import type { GraphDetailsJson } from "../../../server/src/analysis/graph-details.js";
import type { RunGraphData } from "./run-graph-model.js";

/** Extension → dependency graph webview. */
export type DependencyGraphMessage = { type: "graph"; graph: GraphDetailsJson } | { type: "focus"; id: string } | { type: "error"; message: string };

/** Dependency graph webview → extension. */
export type DependencyGraphRequest = { type: "ready" } | { type: "reveal"; file: string; line: number } | { type: "exportSvg"; svg: string };

/** Extension → run graph webview. */
export type RunGraphMessage = { type: "run"; data: RunGraphData } | { type: "details"; details: RunNodeDetails } | { type: "error"; message: string };

/** Run graph webview → extension. */
export type RunGraphRequest = { type: "ready" } | { type: "select"; node: { kind: "task" | "flow"; id: string } };

/** What the side panel shows for a clicked node of a run graph. */
export interface RunNodeDetails {
  id: string;
  title: string;
  states: { name: string; type: string; timestamp: string; message?: string }[];
  logs: { level: string; message: string; timestamp: string }[];
}
