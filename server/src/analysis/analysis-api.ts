/**
 * The analysis as the language server uses it, gathered in one object so that the server can load
 * it from a workspace's own tributaryjs (the package's `./analysis` export, built from
 * server/src/cli/analysis-cli.ts, re-exports it) as well as use its bundled copy.
 *
 * `apiVersion` is the contract: the server loads another copy only when it declares the same
 * number. Change the number whenever a member below, or the shape of what it takes or returns
 * (AnalysisProject, AnalysisSnapshot, Finding, ConfigLookup, ConfigRules, TributaryFacades, the
 * query results), changes incompatibly.
 *
 * The project config is part of the API because its schema (the codes `severity` accepts) belongs
 * to the analysis that reports the codes: a folder's config is read by the same copy that analyses
 * it, as `tributary check` from that copy reads it. A project's findings are always the defaults;
 * the caller applies the config once, as it publishes them (`ConfigRules.apply`).
 */
import { ANALYSIS_API_VERSION } from "./analysis-api-version.js";
import { createAnalysisProject } from "./analysis-project.js";
import { ConfigRules } from "./config-rules.js";
import { toGraphJson } from "./dependency-graph.js";
import { toGraphDetails } from "./graph-details.js";
import { DirectorySummaryCache, summaryCacheDir } from "./directory-summary-cache.js";
import { FactsCache, factsCacheDir } from "./facts-cache.js";
import type { FactsStore } from "./analysis-project.js";
import type { FileHost } from "./file-host.js";
import type { ModuleResolver } from "./module-resolver.js";
import { ResolutionCache, resolutionCacheDir } from "./resolution-cache.js";
import { discoverFlowFiles } from "./load-workspace.js";
import type { SummaryCache } from "./summary-cache.js";
import { configFilesAbove, findProjectConfig } from "./project-config.js";
import { completeNames, declarationsIn, definitionOf, findUpstreamDownstream, nodeAt } from "./queries.js";

export { ANALYSIS_API_VERSION };

export interface AnalysisApi {
  readonly apiVersion: number;
  readonly createAnalysisProject: typeof createAnalysisProject;
  /** The flow files of a folder (include/exclude applied through `accepts`) and its re-exports of tributaryjs. */
  readonly discoverFlowFiles: typeof discoverFlowFiles;
  readonly findProjectConfig: typeof findProjectConfig;
  /** Where a folder's config may live: the files whose change means reading it again. */
  readonly configFilesAbove: typeof configFilesAbove;
  readonly ConfigRules: typeof ConfigRules;
  readonly nodeAt: typeof nodeAt;
  readonly definitionOf: typeof definitionOf;
  readonly completeNames: typeof completeNames;
  readonly declarationsIn: typeof declarationsIn;
  readonly findUpstreamDownstream: typeof findUpstreamDownstream;
  readonly toGraphJson: typeof toGraphJson;
  readonly toGraphDetails: typeof toGraphDetails;
  /**
   * The summary cache of a workspace folder (`.tributary/cache/summaries/`), made by the copy whose
   * summaries it holds (optional: older copies of the API have none).
   */
  readonly openSummaryCache?: (workspaceRoot: string) => SummaryCache;
  /**
   * The import resolutions of a workspace folder kept between starts (`.tributary/cache/resolutions/`):
   * `resolver` is the one to create the folder's project with (seeded when every file-system answer
   * it rests on still holds, through `fileHost`), and `save` keeps what it learned (optional: older
   * copies of the API have none).
   */
  readonly openResolutionCache?: (workspaceRoot: string, fileHost: FileHost) => { readonly resolver: ModuleResolver; readonly reused: boolean; save(): Promise<boolean> };
  /**
   * The resolved facts of a workspace folder kept between starts (`.tributary/cache/facts/`), for a
   * project made with the resolution cache's resolver: `save` keeps those of its first analysis
   * (optional: older copies of the API have none).
   */
  readonly openFactsCache?: (workspaceRoot: string) => FactsStore & { save(): Promise<boolean> };
}

export const analysisApi: AnalysisApi = {
  apiVersion: ANALYSIS_API_VERSION,
  createAnalysisProject,
  discoverFlowFiles,
  findProjectConfig,
  configFilesAbove,
  ConfigRules,
  nodeAt,
  definitionOf,
  completeNames,
  declarationsIn,
  findUpstreamDownstream,
  toGraphJson,
  toGraphDetails,
  // Entries read when asked for: a file whose facts come from the facts cache may never need its summary.
  openSummaryCache: (workspaceRoot) => new DirectorySummaryCache(summaryCacheDir(workspaceRoot), { readWhenAsked: true }),
  openResolutionCache: (workspaceRoot, fileHost) => new ResolutionCache(resolutionCacheDir(workspaceRoot), workspaceRoot, undefined, fileHost),
  openFactsCache: (workspaceRoot) => new FactsCache(factsCacheDir(workspaceRoot), workspaceRoot, undefined),
};
