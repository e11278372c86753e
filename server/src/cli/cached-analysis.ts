/**
 * The analysis of a check with the caches under `.tributary/cache/` (summaries, facts, resolutions):
 * what `tributary check` runs when its last result missed, what `graph` and `deploy` run for the
 * snapshot itself, and what the check service runs when it (re)builds a workspace.
 */
import path from "node:path";
import { isInsideDir } from "../../../runtime/src/file-paths.js";
import { ConfigRules, DirectorySummaryCache, FactsCache, findProjectConfig, loadWorkspace, parserCodeCache, parserLoaded, summaryCacheDir, type AnalysisProject, type AnalysisSnapshot, type CheckResult, type CodeCacheUse, type FileHost, type ResolutionCache } from "../analysis/index.js";
import { startParserWorker, type ParserWorker } from "../analysis/parse-in-worker.js";
import { usage, type CheckOutput } from "./check-output.js";
import { resolveCliTargets, type CliTargets } from "./cli-targets.js";

export interface CachedAnalysis {
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
export async function analyzeWithCaches(input: { targets: CliTargets; accepts: (file: string, root: string) => boolean; cacheDir: string; resolutions: ResolutionCache; files: readonly string[]; contextFiles: readonly string[]; fileHost?: FileHost }): Promise<CachedAnalysis> {
  const { targets, accepts, cacheDir, resolutions, files, contextFiles, fileHost } = input;
  // Read only on a miss: the stored facts are megabytes, which an unchanged workspace never needs.
  const facts = new FactsCache(path.join(cacheDir, "facts"), targets.rootDir, targets.tsconfig);
  // The compiler loads on another thread from the first text the summary cache lacks, while this one
  // reads and decodes the rest; it parses the texts with no entry. When every text has one (the
  // result missed for another reason: the config changed, say), the 10 MB bundle is never loaded.
  // A process that has the parser already (the check service) parses them itself.
  let worker: ParserWorker | undefined;
  // With stored facts most summaries are never asked for: their entries are read only if they are.
  const summaryCache = new DirectorySummaryCache(path.join(cacheDir, "summaries"), { readOnDemand: true, readWhenAsked: facts.hasStored, onFirstMiss: () => (worker = parserLoaded() ? undefined : startParserWorker()) });
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
export function codeCacheNote(use: CodeCacheUse | undefined): string {
  if (use === "read") return " with its code cache";
  if (use === "missing") return " without a code cache (one is made for the next time)";
  if (use === "rejected") return " without its code cache, which could not be used (it is made again)";
  if (use === "off") return " without a code cache (NODE_DISABLE_COMPILE_CACHE)";
  return "";
}

/** Above this many files without a cached summary, they are parsed in process: a worker saves the compiler's load time, not the parse. */
const MAX_PARSED_IN_WORKER = 64;

/** Files the analyser failed on (a bug in it; the rest is still checked) and workspace files it could not read. */
export function notesOf(project: AnalysisProject): CheckResult["notes"] {
  const failures = [...project.stats().failures].map(([file, error]) => ({ file, message: error, kind: "failure" as const }));
  const workspace = (project.workspaceProblems?.() ?? []).map((problem) => ({ file: problem.file, message: problem.message, kind: "workspace" as const }));
  return [...failures, ...workspace];
}

/** `.tributary/cache` under the cwd, or under the checked folder when it is outside the cwd. */
export function defaultCacheDir(targets: CliTargets, cwd: string): string {
  return path.dirname(summaryCacheDir(isInsideDir(targets.rootDir, cwd) ? cwd : targets.rootDir));
}

/** What a check covers: its targets, the project's config (and the rules from it) and its cache folder. */
export interface CheckScope {
  targets: CliTargets;
  config: ReturnType<typeof findProjectConfig>;
  rules: ConfigRules;
  cacheDir: string;
  accepts: (file: string, root: string) => boolean;
}

/**
 * A check's scope, read the one way `tributary check` and the check service both read it; a bad
 * path or config is a usage error, said on `output.stderr`, and answered as its exit code.
 */
export async function checkScope(options: Pick<CheckOutput, "stderr"> & { paths: readonly string[]; cwd: string; cacheDir?: string }): Promise<CheckScope | number> {
  const targets = await resolveCliTargets(options.paths, options.cwd);
  if (typeof targets === "string") return usage(options, targets);
  const config = findProjectConfig(targets.rootDir);
  if (config.kind === "invalid") return usage(options, `Bad configuration in ${path.relative(options.cwd, config.file) || config.file}: ${config.message}`);
  const rules = config.kind === "found" ? new ConfigRules(config.dir, config.config) : ConfigRules.none;
  return { targets, config, rules, cacheDir: options.cacheDir ?? defaultCacheDir(targets, options.cwd), accepts: (file, root) => rules.accepts(file, root) };
}
