/** The two graph panels, created with the extension and disposed with it. */
import type * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { DependencyGraphPanel } from "./dependency-graph-panel.js";
import { RunGraphPanel } from "./run-graph-panel.js";

export class GraphViews implements vscode.Disposable {
  readonly dependencyGraph: DependencyGraphPanel;
  readonly runGraph: RunGraphPanel;

  constructor(ctx: Ctx) {
    this.dependencyGraph = new DependencyGraphPanel(ctx);
    this.runGraph = new RunGraphPanel(ctx);
  }

  dispose(): void {
    this.dependencyGraph.dispose();
    this.runGraph.dispose();
  }
}
