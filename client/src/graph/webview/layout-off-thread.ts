/// <reference lib="dom" />
/**
 * Lays a graph out on a Web Worker (layout-worker.ts). A webview's scripts come from another
 * origin than its page, so the worker is started from a blob of its own source, which the build
 * puts into this bundle (the CSP allows `worker-src blob:` for that alone). Where a worker cannot
 * start, the layout runs in the page, as it did before.
 */
import workerSource from "layout-worker-source";
import { layoutGraph, type Layout, type LayoutEdge, type LayoutNode } from "../graph-layout.js";
import type { LayoutRequest } from "./layout-worker.js";

type Answer = { id: number; layout: Layout } | { id: number; error: string };

export class OffThreadLayout {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { request: LayoutRequest; resolve: (layout: Layout) => void; reject: (error: Error) => void }>();

  constructor() {
    try {
      const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
      this.worker = new Worker(url, { name: "tributary-graph-layout" });
      this.worker.onmessage = (event: MessageEvent<Answer>) => this.answer(event.data);
      this.worker.onerror = () => this.inPage();
    } catch {
      this.worker = undefined;
    }
  }

  /** True when layouts run on the worker. */
  get offThread(): boolean {
    return this.worker !== undefined;
  }

  layout(nodes: LayoutNode[], edges: LayoutEdge[]): Promise<Layout> {
    if (this.worker === undefined) return Promise.resolve(layoutGraph(nodes, edges));
    const id = ++this.next;
    const request: LayoutRequest = { id, nodes, edges };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject });
      this.worker!.postMessage(request);
    });
  }

  private answer(message: Answer): void {
    const waiting = this.pending.get(message.id);
    if (waiting === undefined) return;
    this.pending.delete(message.id);
    if ("error" in message) waiting.reject(new Error(message.error));
    else waiting.resolve(message.layout);
  }

  /** A worker that failed to load or died: the page lays out what it had, and from then on. */
  private inPage(): void {
    this.worker?.terminate();
    this.worker = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { request, resolve, reject } of waiting) {
      try {
        resolve(layoutGraph(request.nodes, request.edges));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
