import { toDependencyGraph, type DependencyGraph } from "./dependency-graph.js";
import type { Finding } from "./finding.js";
import type { WorkspaceModel } from "./workspace-model.js";

/** The analysis of the project at one moment. Snapshots never change; queries take one. */
export interface AnalysisSnapshot {
  /** Increases with every analysis that saw a change. */
  readonly version: number;
  readonly rootDir: string;
  readonly model: WorkspaceModel;
  /** Findings of every project file, sorted; a file without findings maps to an empty list. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  /** Files whose findings differ from the previous snapshot's (removed files included). */
  readonly changedFiles: readonly string[];
  /** The graphlib graph of the model, built on first use. */
  graph(): DependencyGraph;
}

export function createSnapshot(version: number, rootDir: string, model: WorkspaceModel, findings: ReadonlyMap<string, readonly Finding[]>, changedFiles: readonly string[]): AnalysisSnapshot {
  let graph: DependencyGraph | undefined;
  return {
    version,
    rootDir,
    model,
    findings,
    changedFiles,
    graph: () => (graph ??= toDependencyGraph(model)),
  };
}
