/**
 * `tributary check` and `tributary graph`, built as their own entry (runtime/dist/analysis/analysis-cli.js)
 * because the runtime's CLI must not import server code: its command files define the options and
 * load this file at run time. Every function resolves to the process's exit code.
 *
 * The same file is the package's `./analysis` export: it also carries the analysis API the
 * language server loads from a workspace's own tributaryjs (`analysisApi`, versioned by
 * `ANALYSIS_API_VERSION`), so the package ships the analysis once.
 */
import path from "node:path";
import type { ProjectGraph } from "../../../runtime/src/orchestrator/contract.js";
import { CheckResultCache, ConfigRules, discoverFlowFiles, findContextFiles, findFlowFiles, findProjectConfig, InputDigest, loadWorkspace, nodeFileHost, parserCodeCache, parserLoaded, RecordingFileHost, ResolutionCache, type CheckResult, toGraphDetails, toGraphJson, toGraphView, type AnalysisProject, type AnalysisSnapshot } from "../analysis/index.js";
import { analyzeWithCaches, checkScope, codeCacheNote, defaultCacheDir, notesOf } from "./cached-analysis.js";
import { badCheckFormat, describeNote, EXIT, printCheckResult, usage } from "./check-output.js";
import { resolveCliTargets } from "./cli-targets.js";
import { toDot } from "./format-dot.js";
import { toMermaid } from "./format-mermaid.js";

export { analysisApi, ANALYSIS_API_VERSION } from "../analysis/analysis-api.js";

export { CHECK_FORMATS } from "./check-output.js";
export { serveChecks } from "./check-service.js";
export const GRAPH_FORMATS = ["json", "mermaid", "dot"] as const;

export interface AnalysisCliOptions {
  /** Files or directories, relative to `cwd`. @default [cwd] */
  paths: readonly string[];
  format?: string;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /**
   * Read and write the summary cache, `.tributary/cache/summaries/` under `cwd` (or under the
   * checked folder when it is outside `cwd`): a file whose text was summarised before is not parsed.
   * @default false
   */
  cache?: boolean;
  /**
   * Where the caches are kept (`summaries/`, `resolutions/`, `results/` under it), an absolute path.
   * @default `.tributary/cache` under `cwd` (or under the checked folder when it is outside `cwd`)
   */
  cacheDir?: string;
  /** Say on stderr how many summaries came from the cache and how many files were parsed. @default false */
  verbose?: boolean;
}

/** Exit 1 when an error is found, 0 otherwise (warnings and hints allowed), 2 on bad usage. */
export async function runCheck(options: AnalysisCliOptions): Promise<number> {
  const format = options.format ?? "text";
  const badFormat = badCheckFormat(format);
  if (badFormat) return usage(options, badFormat);
  const checked = options.cache ? await checkWithCaches(options) : await checkWithoutCache(options);
  if (typeof checked === "number") return checked;
  return printCheckResult(checked, format, options);
}

async function checkWithoutCache(options: AnalysisCliOptions): Promise<CheckResult | number> {
  const loaded = await load(options);
  if (typeof loaded === "number") return loaded;
  const { project, snapshot, rules } = loaded;
  if (options.verbose) {
    options.stderr.write(`tributary: summaries: 0 from cache, ${project.stats().summarized} parsed (no cache)\n`);
    options.stderr.write(`tributary: the TypeScript parser was ${parserLoaded() ? `loaded in process${codeCacheNote(parserCodeCache())}` : "not loaded"}\n`);
  }
  return { findings: rules.apply([...snapshot.findings.values()].flat()), fileCount: project.files().length, notes: notesOf(project) };
}

/**
 * A check with the caches under `.tributary/cache/` (in the workspace the command runs in): the last
 * result when nothing it rests on changed (`result-cache.ts`), otherwise an analysis that reads
 * the summaries and resolutions it can from the cache and stores what it made.
 */
async function checkWithCaches(options: AnalysisCliOptions): Promise<CheckResult | number> {
  const checked = await checkScope(options);
  if (typeof checked === "number") return checked;
  const { targets, config, rules, cacheDir, accepts } = checked;
  const scope = [targets.rootDir, String(targets.tsconfig), ...targets.paths, config.kind === "found" ? `${config.file}\n${JSON.stringify(config.config)}` : "no config"];
  const results = new CheckResultCache(path.join(cacheDir, "results"), scope);
  const resolutions = new ResolutionCache(path.join(cacheDir, "resolutions"), targets.rootDir, targets.tsconfig);
  // What the result depends on: every file the discovery reads, and every answer the analysis gets from the file system.
  const inputs = new InputDigest();
  const { files } = await discoverFlowFiles(targets.paths, { rootDir: targets.rootDir, tsconfig: targets.tsconfig, accepts, moduleResolver: resolutions.resolver, inputs });
  const contextFiles = await findContextFiles(targets.rootDir, [...resolutions.resolver.layout().packages.values()], { tsconfig: targets.tsconfig, accepts, moduleResolver: resolutions.resolver, inputs });
  const digest = inputs.digest();
  const stored = results.lookup(digest, nodeFileHost);
  if (stored) {
    if (options.verbose) options.stderr.write(`tributary: nothing changed since the last check (${path.relative(options.cwd, results.dir) || results.dir}): its findings are printed; the TypeScript parser was ${parserLoaded() ? "loaded" : "not loaded"}\n`);
    return stored;
  }
  const fileHost = new RecordingFileHost(nodeFileHost);
  const analysis = await analyzeWithCaches({ targets, accepts, cacheDir, resolutions, files, contextFiles, fileHost });
  const { project, snapshot } = analysis;
  const result: CheckResult = { findings: rules.apply([...snapshot.findings.values()].flat()), fileCount: project.files().length, notes: notesOf(project) };
  await Promise.all([analysis.save(), results.save(digest, [...fileHost.recorded(), ...resolutions.answers()], result)]);
  if (options.verbose) options.stderr.write(analysis.describe(options.cwd));
  return result;
}


/** Prints the static graph; exit 0, or 2 on bad usage. */
export async function runGraph(options: AnalysisCliOptions): Promise<number> {
  const format = options.format ?? "json";
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) return usage(options, `Unknown format "${format}" for graph; use json, mermaid or dot.`);
  const loaded = await load(options);
  if (typeof loaded === "number") return loaded;
  for (const note of notesOf(loaded.project)) options.stderr.write(describeNote(note, options.cwd));
  if (format === "json") {
    options.stdout.write(`${JSON.stringify(toGraphJson(loaded.snapshot.model, options.cwd), null, 2)}\n`);
    return EXIT.ok;
  }
  // The model the VS Code graph view draws, every task shown: the two cannot drift apart.
  const view = toGraphView(toGraphDetails(loaded.snapshot, options.cwd));
  options.stdout.write(format === "mermaid" ? toMermaid(view) : toDot(view));
  return EXIT.ok;
}

/**
 * The JSON Schema of each flow's parameters in `files` (and what they import), by flow name:
 * `tributary deploy` registers it with each deployment so the server refuses bad parameters (422).
 * Flows whose parameters could not be read statically are left out.
 */
export async function flowParameterSchemas(files: readonly string[], cwd: string): Promise<Record<string, unknown>> {
  const targets = await resolveCliTargets(files, cwd);
  if (typeof targets === "string") return {};
  const project = await loadWorkspace(targets.paths, { rootDir: targets.rootDir, tsconfig: targets.tsconfig });
  const graph = toGraphJson(project.analyze().model, cwd);
  const schemas: Record<string, unknown> = {};
  for (const node of graph.nodes) {
    if (node.kind === "flow" && node.parameters !== undefined) schemas[node.name] = node.parameters;
  }
  return schemas;
}

/**
 * The graph `tributary deploy` sends the server (PUT /api/graph): of the whole project the
 * deployed `files` belong to — the folder of the project config (tributary.config.json or
 * package.json) nearest above them, else their common folder — since a cycle crosses files the
 * deploy did not name. The project's include/exclude apply, as for `tributary graph <root>`.
 * Files come relative to that root. A bad path or config is returned as its message.
 */
export async function projectGraph(files: readonly string[], cwd: string): Promise<ProjectGraph | string> {
  const named = await resolveCliTargets(files, cwd);
  if (typeof named === "string") return named;
  const config = findProjectConfig(named.rootDir);
  const root = config.dir ?? named.rootDir;
  let refused = "";
  // With the caches, as `tributary check` in the project: after a check, a deploy parses nothing again.
  const loaded = await load({ paths: [root], cwd: root, cache: true, stdout: { write: () => undefined }, stderr: { write: (text: string) => (refused += text) } });
  if (typeof loaded === "number") return refused.replace(/^tributary: /, "").trim() || `the analysis could not read ${root}`;
  // Typed against the server's contract: the analysis cannot change the graph's shape unnoticed.
  const graph: ProjectGraph = toGraphDetails(loaded.snapshot, root);
  return graph;
}

/**
 * The flow files `tributary check <paths…>` reads (folders walked with the project config's
 * include/exclude, files named kept): `tributary deploy <dir>` deploys the same files. A bad path
 * or a bad config is returned as its message.
 */
export async function flowFiles(paths: readonly string[], cwd: string): Promise<string[] | string> {
  const targets = await resolveCliTargets(paths, cwd);
  if (typeof targets === "string") return targets;
  const config = findProjectConfig(targets.rootDir);
  if (config.kind === "invalid") return `Bad configuration in ${path.relative(cwd, config.file) || config.file}: ${config.message}`;
  const rules = config.kind === "found" ? new ConfigRules(config.dir, config.config) : ConfigRules.none;
  return findFlowFiles(targets.paths, { rootDir: targets.rootDir, tsconfig: targets.tsconfig, accepts: (file, root) => rules.accepts(file, root) });
}

/** The snapshot of the paths `options` names; with `options.cache`, read from and written to the caches as a check is (its last result aside). */
async function load(options: AnalysisCliOptions): Promise<{ project: AnalysisProject; snapshot: AnalysisSnapshot; rules: ConfigRules } | number> {
  const targets = await resolveCliTargets(options.paths, options.cwd);
  if (typeof targets === "string") return usage(options, targets);
  // The project's config: include/exclude choose the files, severities map the findings.
  const config = findProjectConfig(targets.rootDir);
  if (config.kind === "invalid") return usage(options, `Bad configuration in ${path.relative(options.cwd, config.file) || config.file}: ${config.message}`);
  const rules = config.kind === "found" ? new ConfigRules(config.dir, config.config) : ConfigRules.none;
  const accepts = (file: string, root: string) => rules.accepts(file, root);
  if (!options.cache) {
    const project = await loadWorkspace(targets.paths, { rootDir: targets.rootDir, tsconfig: targets.tsconfig, accepts });
    return { project, snapshot: project.analyze(), rules };
  }
  const cacheDir = options.cacheDir ?? defaultCacheDir(targets, options.cwd);
  const resolutions = new ResolutionCache(path.join(cacheDir, "resolutions"), targets.rootDir, targets.tsconfig);
  const { files } = await discoverFlowFiles(targets.paths, { rootDir: targets.rootDir, tsconfig: targets.tsconfig, accepts, moduleResolver: resolutions.resolver });
  const contextFiles = await findContextFiles(targets.rootDir, [...resolutions.resolver.layout().packages.values()], { tsconfig: targets.tsconfig, accepts, moduleResolver: resolutions.resolver });
  const analysis = await analyzeWithCaches({ targets, accepts, cacheDir, resolutions, files, contextFiles });
  await analysis.save();
  if (options.verbose) options.stderr.write(analysis.describe(options.cwd));
  return { project: analysis.project, snapshot: analysis.snapshot, rules };
}
