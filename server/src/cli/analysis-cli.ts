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
import { ConfigRules, DirectorySummaryCache, findFlowFiles, findProjectConfig, loadWorkspace, summaryCacheDir, toCheckJson, toGraphDetails, toGraphJson, toGraphView, type AnalysisProject, type AnalysisSnapshot } from "../analysis/index.js";
import { resolveCliTargets } from "./cli-targets.js";
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
  /** Say on stderr how many summaries came from the cache and how many files were parsed. @default false */
  verbose?: boolean;
}

const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Exit 1 when an error is found, 0 otherwise (warnings and hints allowed), 2 on bad usage. */
export async function runCheck(options: AnalysisCliOptions): Promise<number> {
  const format = options.format ?? "text";
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) return usage(options, `Unknown format "${format}" for check; use text, json or sarif.`);
  const loaded = await load(options);
  if (typeof loaded === "number") return loaded;
  const { project, snapshot, rules } = loaded;
  const findings = rules.apply([...snapshot.findings.values()].flat());
  if (format === "json") options.stdout.write(`${JSON.stringify(toCheckJson(findings, options.cwd), null, 2)}\n`);
  else if (format === "sarif") options.stdout.write(`${JSON.stringify(toSarif(findings, options.cwd, toolVersion()), null, 2)}\n`);
  else options.stdout.write(formatCheckText(findings, project.files().length, options.cwd));
  return findings.some((f) => f.severity === "error") ? EXIT.findings : EXIT.ok;
}

/** Prints the static graph; exit 0, or 2 on bad usage. */
export async function runGraph(options: AnalysisCliOptions): Promise<number> {
  const format = options.format ?? "json";
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) return usage(options, `Unknown format "${format}" for graph; use json, mermaid or dot.`);
  const loaded = await load(options);
  if (typeof loaded === "number") return loaded;
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

async function load(options: AnalysisCliOptions): Promise<{ project: AnalysisProject; snapshot: AnalysisSnapshot; rules: ConfigRules } | number> {
  const targets = await resolveCliTargets(options.paths, options.cwd);
  if (typeof targets === "string") return usage(options, targets);
  // The project's config: include/exclude choose the files, severities map the findings.
  const config = findProjectConfig(targets.rootDir);
  if (config.kind === "invalid") return usage(options, `Bad configuration in ${path.relative(options.cwd, config.file) || config.file}: ${config.message}`);
  const rules = config.kind === "found" ? new ConfigRules(config.dir, config.config) : ConfigRules.none;
  // The cache sits with the store, in the workspace the command runs in (`.tributary/` under cwd).
  const summaryCache = options.cache ? new DirectorySummaryCache(summaryCacheDir(isInsideDir(targets.rootDir, options.cwd) ? options.cwd : targets.rootDir)) : undefined;
  const project = await loadWorkspace(targets.paths, { rootDir: targets.rootDir, tsconfig: targets.tsconfig, accepts: (file, root) => rules.accepts(file, root), summaryCache });
  const snapshot = project.analyze();
  await summaryCache?.flush();
  if (options.verbose) {
    const stats = project.stats();
    options.stderr.write(`tributary: summaries: ${stats.fromCache ?? 0} from cache, ${stats.summarized} parsed${summaryCache ? ` (cache: ${path.relative(options.cwd, summaryCache.dir) || summaryCache.dir})` : " (no cache)"}\n`);
  }
  // A file the analyser failed on (a bug in it) still lets the rest be checked; say so.
  for (const [file, error] of project.stats().failures) {
    options.stderr.write(`tributary: could not analyse ${path.relative(options.cwd, file) || file} (${error}); please report it.\n`);
  }
  // A broken package.json of the workspace costs what it declares, never the check.
  for (const problem of project.workspaceProblems?.() ?? []) options.stderr.write(`tributary: ${path.relative(options.cwd, problem.file) || problem.file}: ${problem.message}\n`);
  return { project, snapshot, rules };
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
