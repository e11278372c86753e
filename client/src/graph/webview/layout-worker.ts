/**
 * The dependency graph's layout on a Web Worker of the webview, so that laying out a big graph
 * never freezes the panel (its toolbar, zoom and pan stay live). The bundle is built apart and
 * carried inside the webview's script as text (layout-off-thread.ts); it answers each request with
 * the layout, or the error, under the request's number.
 */
import { layoutGraph, type LayoutEdge, type LayoutNode } from "../graph-layout.js";

export interface LayoutRequest {
  id: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** The worker's global scope, as much of it as is used (the project's types are the page's, not a worker's). */
declare const self: { onmessage: ((event: { data: LayoutRequest }) => void) | null; postMessage(message: unknown): void };

self.onmessage = (event) => {
  const { id, nodes, edges } = event.data;
  try {
    self.postMessage({ id, layout: layoutGraph(nodes, edges) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
