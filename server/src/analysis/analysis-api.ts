/**
 * The analysis as the language server uses it, gathered in one object so that the server can load
 * it from a workspace's own tributaryjs (the package's `./analysis` export, built from
 * server/src/cli/analysis-cli.ts, re-exports it) as well as use its bundled copy.
 *
 * `apiVersion` is the contract: the server loads another copy only when it declares the same
 * number. Change the number whenever a member below, or the shape of what it takes or returns
 * (AnalysisProject, AnalysisSnapshot, Finding, the query results), changes incompatibly.
 */
import { createAnalysisProject } from "./analysis-project.js";
import { toGraphJson } from "./dependency-graph.js";
import { toGraphDetails } from "./graph-details.js";
import { findFlowFiles } from "./load-workspace.js";
import { completeNames, declarationsIn, definitionOf, findUpstreamDownstream, nodeAt } from "./queries.js";

export const ANALYSIS_API_VERSION = 1;

export interface AnalysisApi {
  readonly apiVersion: number;
  readonly createAnalysisProject: typeof createAnalysisProject;
  readonly findFlowFiles: typeof findFlowFiles;
  readonly nodeAt: typeof nodeAt;
  readonly definitionOf: typeof definitionOf;
  readonly completeNames: typeof completeNames;
  readonly declarationsIn: typeof declarationsIn;
  readonly findUpstreamDownstream: typeof findUpstreamDownstream;
  readonly toGraphJson: typeof toGraphJson;
  readonly toGraphDetails: typeof toGraphDetails;
}

export const analysisApi: AnalysisApi = {
  apiVersion: ANALYSIS_API_VERSION,
  createAnalysisProject,
  findFlowFiles,
  nodeAt,
  definitionOf,
  completeNames,
  declarationsIn,
  findUpstreamDownstream,
  toGraphJson,
  toGraphDetails,
};
