/**
 * `tributary check` and `tributary graph`, built as their own entry (runtime/dist/analysis/analysis-cli.js)
 * because the runtime's CLI must not import server code: its command files define the options and
 * load this file at run time. Every function resolves to the process's exit code.
 *
 * The same file is the package's `./analysis` export: it also carries the analysis API the
 * language server loads from a workspace's own tributaryjs (`analysisApi`, versioned by
 * `ANALYSIS_API_VERSION`), so the package ships the analysis once.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isInsideDir } from "../../../runtime/src/file-paths.js";
import type { ProjectGraph } from "../../../runtime/src/orchestrator/contract.js";
import { CheckResultCache, ConfigRules, DirectorySummaryCache, FactsCache, discoverFlowFiles, findContextFiles, findFlowFiles, findProjectConfig, InputDigest, loadWorkspace, nodeFileHost, parserCodeCache, parserLoaded, RecordingFileHost, ResolutionCache, summaryCacheDir, type CheckResult, toCheckJson, toGraphDetails, toGraphJson, toGraphView, type AnalysisProject, type AnalysisSnapshot, type CodeCacheUse, type FileHost } from "../analysis/index.js";
import { startParserWorker, type ParserWorker } from "../analysis/parse-in-worker.js";
import { resolveCliTargets, type CliTargets } from "./cli-targets.js";
import { formatCheckText } from "./format-check-text.js";
import { toDot } from "./format-dot.js";
import { toMermaid } from "./format-mermaid.js";
import { toSarif } from "./format-sarif.js";

export { analysisApi, ANALYSIS_API_VERSION } from "../analysis/analysis-api.js";

export const CHECK_FORMATS = ["text", "json", "sarif"] as const;
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

const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Exit 1 when an error is found, 0 otherwise (warnings and hints allowed), 2 on bad usage. */
export async function runCheck(options: AnalysisCliOptions): Promise<number> {
  const format = options.format ?? "text";
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) return usage(options, `Unknown format "${format}" for check; use text, json or sarif.`);
  const checked = options.cache ? await checkWithCaches(options) : await checkWithoutCache(options);
  if (typeof checked === "number") return checked;
  const { findings, fileCount, notes } = checked;
  for (const note of notes) options.stderr.write(describeNote(note, options.cwd));
  if (format === "json") options.stdout.write(`${JSON.stringify(toCheckJson(findings, options.cwd), null, 2)}\n`);
  else if (format === "sarif") options.stdout.write(`${JSON.stringify(toSarif(findings, options.cwd, toolVersion()), null, 2)}\n`);
  else options.stdout.write(formatCheckText(findings, fileCount, options.cwd));
  return findings.some((f) => f.severity === "error") ? EXIT.findings : EXIT.ok;
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
  const targets = await resolveCliTargets(options.paths, options.cwd);
  if (typeof targets === "string") return usage(options, targets);
  const config = findProjectConfig(targets.rootDir);
  if (config.kind === "invalid") return usage(options, `Bad configuration in ${path.relative(options.cwd, config.file) || config.file}: ${config.message}`);
  const rules = config.kind === "found" ? new ConfigRules(config.dir, config.config) : ConfigRules.none;
  const cacheDir = options.cacheDir ?? defaultCacheDir(targets, options.cwd);
  const scope = [targets.rootDir, String(targets.tsconfig), ...targets.paths, config.kind === "found" ? `${config.file}\n${JSON.stringify(config.config)}` : "no config"];
  const results = new CheckResultCache(path.join(cacheDir, "results"), scope);
  const resolutions = new ResolutionCache(path.join(cacheDir, "resolutions"), targets.rootDir, targets.tsconfig);
  const accepts = (file: string, root: string) => rules.accepts(file, root);
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

interface CachedAnalysis {
  project: AnalysisProject;
  snapshot: AnalysisSnapshot;
  /** Writes what the analysis made into the caches: summaries, facts, resolutions. */
  save(): Promise<unknown>;
  /** The `--verbose` lines: what came from the caches, where the parser loaded. */
  describe(cwd: string): string;
}

/**
 * The analysis of `files` with the caches under `cacheDir` (summaries, facts, and the
 * resolutions the caller opened for its discovery): `tributary check` after its result missed,
 * and `graph` and `deploy` (which need the snapshot itself).
 */
async function analyzeWithCaches(input: { targets: CliTargets; accepts: (file: string, root: string) => boolean; cacheDir: string; resolutions: ResolutionCache; files: readonly string[]; contextFiles: readonly string[]; fileHost?: FileHost }): Promise<CachedAnalysis> {
  const { targets, accepts, cacheDir, resolutions, files, contextFiles, fileHost } = input;
  // Read only on a miss: the stored facts are megabytes, which an unchanged workspace never needs.
  const facts = new FactsCache(path.join(cacheDir, "facts"), targets.rootDir, targets.tsconfig);
  // The compiler loads on another thread from the first text the summary cache lacks, while this one
  // reads and decodes the rest; it parses the texts with no entry. When every text has one (the
  // result missed for another reason: the config changed, say), the 10 MB bundle is never loaded.
  let worker: ParserWorker | undefined;
  // With stored facts most summaries are never asked for: their entries are read only if they are.
  const summaryCache = new DirectorySummaryCache(path.join(cacheDir, "summaries"), { readOnDemand: true, readWhenAsked: facts.hasStored, onFirstMiss: () => (worker = startParserWorker()) });
  let parsedInWorker = 0;
  let workerCodeCache: CodeCacheUse | undefined;
  let project: AnalysisProject;
  try {
    project = await loadWorkspace(targets.paths, { rootDir: targets.rootDir, tsconfig: targets.tsconfig, accepts, summaryCache, moduleResolver: resolutions.resolver, factsCache: facts, fileHost, files, contextFiles });
    const missing = summaryCache.missing();
    // Many files to parse (a cold cache): in process, where the summaries need not cross threads.
    if (worker && missing.length > 0 && missing.length <= MAX_PARSED_IN_WORKER) {
      const parsing = worker.parse(missing);
      // Meanwhile, the entries read are decoded: what the analysis would do first, unless stored
      // facts spare it most summaries (then it decodes the few it asks for).
      if (!facts.hasStored) summaryCache.decodeLoaded();
      const parsed = await parsing;
      for (const { file, text } of missing) {
        const summary = parsed.get(file);
        if (summary) summaryCache.provide(file, text, summary);
      }
      parsedInWorker = parsed.size;
      workerCodeCache = worker.codeCache();
    }
  } finally {
    await worker?.close();
  }
  const snapshot = project.analyze();
  return {
    project,
    snapshot,
    save: () => Promise.all([summaryCache.flush(), resolutions.save(), facts.save()]),
    describe(cwd) {
      const stats = project.stats();
      const where = parserLoaded() ? `loaded in process${codeCacheNote(parserCodeCache())}` : parsedInWorker > 0 ? "loaded on a worker thread only" : "not loaded";
      return [
        `tributary: summaries: ${(stats.fromCache ?? 0) - parsedInWorker} from cache, ${stats.summarized + parsedInWorker} parsed (cache: ${path.relative(cwd, summaryCache.dir) || summaryCache.dir})`,
        `tributary: facts: ${stats.factsFromCache ?? 0} from cache, ${stats.resolved} resolved`,
        `tributary: imports: ${resolutions.reused ? "resolved as last time" : "resolved anew"}${resolutions.resolver.hasLearned ? ", some resolved now" : ""}; the TypeScript parser was ${where}`,
        worker ? `tributary: a parser worker was started; ${parsedInWorker} parsed on it${workerCodeCache ? `, its parser loaded${codeCacheNote(workerCodeCache)}` : ""}` : "tributary: no parser worker was started",
      ].map((line) => `${line}\n`).join("");
    },
  };
}

/** How a load of the parser used its code cache (`code-cache.ts`), as `--verbose` says it. */
function codeCacheNote(use: CodeCacheUse | undefined): string {
  if (use === "read") return " with its code cache";
  if (use === "missing") return " without a code cache (one is made for the next time)";
  if (use === "rejected") return " without its code cache, which could not be used (it is made again)";
  if (use === "off") return " without a code cache (NODE_DISABLE_COMPILE_CACHE)";
  return "";
}

/** Above this many files without a cached summary, they are parsed in process: a worker saves the compiler's load time, not the parse. */
const MAX_PARSED_IN_WORKER = 64;

/** Files the analyser failed on (a bug in it; the rest is still checked) and workspace files it could not read. */
function notesOf(project: AnalysisProject): CheckResult["notes"] {
  const failures = [...project.stats().failures].map(([file, error]) => ({ file, message: error, kind: "failure" as const }));
  const workspace = (project.workspaceProblems?.() ?? []).map((problem) => ({ file: problem.file, message: problem.message, kind: "workspace" as const }));
  return [...failures, ...workspace];
}

function describeNote(note: CheckResult["notes"][number], cwd: string): string {
  const shown = path.relative(cwd, note.file) || note.file;
  // A file the analyser failed on still lets the rest be checked; a broken package.json of the workspace costs what it declares, never the check.
  return note.kind === "failure" ? `tributary: could not analyse ${shown} (${note.message}); please report it.\n` : `tributary: ${shown}: ${note.message}\n`;
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

/** `.tributary/cache` under the cwd, or under the checked folder when it is outside the cwd. */
function defaultCacheDir(targets: CliTargets, cwd: string): string {
  return path.dirname(summaryCacheDir(isInsideDir(targets.rootDir, cwd) ? cwd : targets.rootDir));
}

function usage(options: AnalysisCliOptions, message: string): number {
  options.stderr.write(`tributary: ${message}\n`);
  return EXIT.usage;
}

function toolVersion(): string {
  try {
    // Built into runtime/dist/analysis, two folders below the package.json of tributaryjs.
    return (JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}
