/**
 * Static analysis of flow code (DESIGN.md §3): files that import "tributaryjs" are parsed (never
 * run), summarised, joined into a dependency graph of flows, tasks, deployments and automations,
 * and checked. Pure: no LSP, no vscode; the language server and `tributary check` build on this.
 */
export { createAnalysisProject, type AnalysisProject, type AnalysisProjectOptions, type AnalysisStats } from "./analysis-project.js";
export type { SummaryCache } from "./summary-cache.js";
export { DirectorySummaryCache, summaryCacheDir, type DirectorySummaryCacheOptions } from "./directory-summary-cache.js";
export { ResolutionCache, resolutionCacheDir } from "./resolution-cache.js";
export { FactsCache, factsCacheDir } from "./facts-cache.js";
export { parserCodeCache, parserLoaded } from "./load-parser.js";
export type { CodeCacheUse } from "./code-cache.js";
export type { AnalysisSnapshot } from "./analysis-snapshot.js";
export { loadWorkspace, findFlowFiles, discoverFlowFiles, findContextFiles, InputDigest, type LoadWorkspaceOptions, type FindFlowFilesOptions } from "./load-workspace.js";
export { CheckResultCache, checkResultCacheDir, type CheckResult } from "./result-cache.js";
export { RecordingFileHost } from "./recording-file-host.js";
export { nodeFileHost } from "./file-host.js";
export { findProjectConfig, configFilesAbove, CONFIG_FILE, CONFIG_SEVERITIES, type TributaryConfig, type ConfigSeverity, type ConfigLookup } from "./project-config.js";
export { ConfigRules } from "./config-rules.js";
export { TributaryFacades } from "./tributary-facades.js";
export { TRB_RULES, TRB_CODES, type TrbRule } from "./trb-rules.js";
export { findUpstreamDownstream, nodeAt, definitionOf, completeNames, declarationsIn, type Neighbour, type PositionHit, type Definition, type NameCompletion, type FileDeclarations } from "./queries.js";
export { toGraphJson, toDependencyGraph, type GraphJson, type DependencyGraph } from "./dependency-graph.js";
export { toCheckJson, type CheckJsonFinding } from "./format-findings.js";
export type { Finding, RelatedInformation, Severity } from "./finding.js";
export type { Position, Range, Loc, FileLoc } from "./source-location.js";
export type { GraphNode, GraphEdge, NodeKind, WorkspaceModel } from "./workspace-model.js";
export type { EdgeKind } from "./file-facts.js";
export type { JsonSchema } from "./json-schema.js";
export type { FileHost } from "./file-host.js";
export type { WorkspaceLayout, WorkspacePackage, WorkspaceProblem } from "./workspace-packages.js";
export { stronglyConnectedComponents, findCycles } from "./find-cycles.js";
export { parseIntervalSeconds, isTimeZone } from "./check-schedules.js";
export { toGraphDetails, CYCLE_CODES, type GraphDetailsJson, type GraphCycleJson } from "./graph-details.js";
export { toGraphView, OVERVIEW_ABOVE, EDGE_STYLES, EDGE_STYLE_LABELS, type GraphView, type GraphViewOptions, type ViewNode, type ViewEdge, type EdgeStyle } from "./graph-view-model.js";
