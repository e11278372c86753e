import path from "node:path";
import { displayPath } from "../../../runtime/src/file-paths.js";
import { createSnapshot, type AnalysisSnapshot } from "./analysis-snapshot.js";
import { checkCycles, EdgeEndpoints, type DescribePlace } from "./check-cycles.js";
import { CallClassifier } from "./classify-calls.js";
import { collectFindings } from "./collect-findings.js";
import { WORKSPACE_LAYOUT_FILE } from "./config-file-names.js";
import { toGraphJson, type DependencyGraph, type GraphJson } from "./dependency-graph.js";
import { StaticEvaluator } from "./evaluate-static.js";
import type { FileFacts } from "./file-facts.js";
import { nodeFileHost, type FileHost } from "./file-host.js";
import type { FileSummary } from "./file-summary.js";
import type { DraftFinding, Finding } from "./finding.js";
import { workspaceModuleResolver, type ModuleResolver, type ModuleTarget } from "./module-resolver.js";
import { parser } from "./load-parser.js";
import { indexEdges, resolveFileFacts } from "./resolve-file-facts.js";
import { textDigest, type StoredFacts } from "./facts-cache.js";
import type { SummaryCache } from "./summary-cache.js";
import { SymbolResolver, type SummarySource } from "./symbol-resolver.js";
import { buildWorkspaceModel } from "./workspace-model.js";
import { WorkspaceJoin, type JoinResult } from "./workspace-join.js";
import { isSourceFile } from "./source-files.js";
import type { WorkspacePackage, WorkspaceProblem } from "./workspace-packages.js";

export interface AnalysisProjectOptions {
  /** The workspace root: messages and graph JSON name files relative to it. */
  rootDir: string;
  /**
   * The workspace tsconfig, for `paths`, `baseUrl` and module resolution; `false` for none.
   * @default `<rootDir>/tsconfig.json` when it exists
   */
  tsconfig?: string | false;
  /** Reads files the project was not given (an imported `const` file). @default the real file system */
  fileHost?: FileHost;
  /**
   * Summaries of texts summarised before (`directory-summary-cache.ts`): a text it answers is not
   * parsed, and a text it was loaded with is kept once parsed. The caller loads and flushes it.
   * @default none: every text is parsed
   */
  summaryCache?: SummaryCache;
  /**
   * The resolver of the workspace's imports, when the caller made it (seeded from the resolution
   * cache, `resolution-cache.ts`, and reading through a host that records what it asks).
   * @default one made from `rootDir`, `tsconfig` and `fileHost`
   */
  moduleResolver?: ModuleResolver;
  /**
   * Facts resolved before (`facts-cache.ts`): at the first analysis, a file whose text and whose
   * dependencies' texts are those its stored facts were resolved from takes them instead of being
   * resolved, and its summary is decoded only when something asks for it. The caller saves it.
   * @default none: every file is resolved
   */
  factsCache?: FactsStore;
}

/** What a project needs of the facts cache (`facts-cache.ts`'s FactsCache). */
export interface FactsStore {
  lookup(file: string): StoredFacts | undefined;
  keep(file: string, entry: StoredFacts, fresh: boolean): void;
}

/** Counters for tests and benchmarks: how much work the edits so far caused. */
export interface AnalysisStats {
  /** Files parsed and summarised. */
  summarized: number;
  /** Files whose summary came from the summary cache instead (optional: older copies of the API lack it). */
  fromCache?: number;
  /** Files whose facts were resolved against the workspace. */
  resolved: number;
  /** Files whose facts came from the facts cache instead (optional: older copies of the API lack it). */
  factsFromCache?: number;
  /** Files whose analysis failed inside the analyser (a bug), with the error. */
  failures: ReadonlyMap<string, string>;
}

/**
 * A workspace of flow files, analysed incrementally: `setFileText` only records, `analyze()`
 * re-parses changed files, re-resolves them and the files that import what changed, then joins
 * every file's facts into the graph and findings.
 *
 * @example
 * const project = createAnalysisProject({ rootDir: "/repo" });
 * project.setFileText("/repo/flows/a.ts", text);
 * const { findings, changedFiles } = project.analyze();
 */
export interface AnalysisProject {
  readonly rootDir: string;
  setFileText(file: string, text: string): void;
  removeFile(file: string): void;
  /**
   * A file the project was not given changed (on disk, or in the editor its host reads): a file
   * that flow files import is read again at the next analysis, and so is everything that read it.
   * A file created or deleted may change where any import resolves: every file is resolved again;
   * so does any change to a package.json, pnpm-workspace.yaml or tsconfig (the workspace's layout).
   */
  refreshFile(file: string, how?: "changed" | "created" | "deleted"): void;
  hasFile(file: string): boolean;
  files(): string[];
  analyze(): AnalysisSnapshot;
  getFindings(): ReadonlyMap<string, readonly Finding[]>;
  getFindings(file: string): readonly Finding[];
  getGraph(): DependencyGraph;
  getGraphJson(): GraphJson;
  stats(): AnalysisStats;
  /**
   * The package.json, pnpm-workspace.yaml and tsconfig files of the workspace the analysis could
   * not read, and what it does not follow because of them (optional: older copies of the API lack it).
   */
  workspaceProblems?(): readonly WorkspaceProblem[];
  /** The packages of the workspace around the project (package.json `workspaces`, pnpm-workspace.yaml, project references). */
  workspacePackages?(): readonly WorkspacePackage[];
  /**
   * Files whose declarations count for the project's names (a deployment a flow runs by name)
   * without being checked: the flow files of the other packages of a monorepo when one package is.
   */
  setContextFiles?(files: readonly string[]): void;
}

interface ProjectFile {
  text: string;
  /** Read from the host because a project file imports it (a `const` file, a helper): no findings of its own. */
  auxiliary: boolean;
  summary: FileSummary | undefined;
  /** The summary is made (from the summary cache, or parsed) when first asked for: its facts may come from the facts cache. */
  deferred: boolean;
  /** {@link textDigest} of `text`, once asked for. */
  digest?: string;
  facts: FileFacts | undefined;
  deps: Set<string>;
}

export function createAnalysisProject(options: AnalysisProjectOptions): AnalysisProject {
  return new Project(options);
}

class Project implements AnalysisProject, SummarySource {
  readonly rootDir: string;
  private readonly host: FileHost;
  private readonly cache: SummaryCache | undefined;
  private readonly factsCache: FactsStore | undefined;
  /** During the first analysis with a facts cache: texts of files read only to compare with stored facts (undefined: none). */
  private probed: Map<string, string | undefined> | undefined;
  private readonly modules: ModuleResolver;
  private readonly records = new Map<string, ProjectFile>();
  private recordOrder: { all: readonly string[]; own: readonly string[] } | undefined;
  /** Files looked for and not found (or not source), until files come or go. */
  private readonly missing = new Set<string>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly toSummarize = new Set<string>();
  private readonly toResolve = new Set<string>();
  private readonly removed = new Set<string>();
  private membershipChanged = false;
  /** The resolver forgot its seed: facts stored against it no longer apply. */
  private modulesCleared = false;
  /** Files came or went, or the layout changed, since the resolver was made: it forgets what it knew at the next analysis. */
  private resolverStale = false;
  private contextFiles: readonly string[] = [];
  private snapshot: AnalysisSnapshot | undefined;
  private version = 0;
  private readonly joiner = new WorkspaceJoin((at) => this.describePlace(at));
  private readonly edgeEndpoints = new EdgeEndpoints();
  /** Files summarised since the last join: their suppression comments may have changed. */
  private readonly summarized = new Set<string>();
  private readonly suppressionKeys = new Map<string, string>();
  /** The last join's cycle findings by file, as text to compare. */
  private cyclesByFile = new Map<string, string>();
  private readonly describePlace: DescribePlace = (at) => `${displayPath(this.rootDir, at.file)}:${at.loc.range.start.line + 1}`;
  private readonly counters = { summarized: 0, fromCache: 0, resolved: 0, factsFromCache: 0, failures: new Map<string, string>() };

  constructor(options: AnalysisProjectOptions) {
    this.rootDir = path.resolve(options.rootDir);
    this.host = options.fileHost ?? nodeFileHost;
    this.cache = options.summaryCache;
    this.factsCache = options.factsCache;
    this.modules = options.moduleResolver ?? workspaceModuleResolver(this.rootDir, options.tsconfig, this.host);
  }

  setFileText(file: string, text: string): void {
    const key = path.resolve(this.rootDir, file);
    const record = this.records.get(key);
    if (record && !record.auxiliary && record.text === text) return;
    if (record && !record.auxiliary) {
      record.text = text;
      record.digest = undefined;
    } else {
      this.setRecord(key, { text, auxiliary: false, summary: undefined, deferred: false, facts: undefined, deps: new Set() });
      this.membershipChanged = true;
      this.removed.delete(key);
    }
    this.toSummarize.add(key);
  }

  removeFile(file: string): void {
    const key = path.resolve(this.rootDir, file);
    if (!this.hasFile(key)) return;
    this.deleteRecord(key);
    this.toSummarize.delete(key);
    this.removed.add(key);
    this.membershipChanged = true;
  }

  refreshFile(file: string, how: "changed" | "created" | "deleted" = "changed"): void {
    const key = path.resolve(this.rootDir, file);
    // A package.json, pnpm-workspace.yaml or tsconfig: the workspace's packages and resolution are read again.
    if (WORKSPACE_LAYOUT_FILE.test(key)) {
      this.membershipChanged = this.resolverStale = true;
      return;
    }
    if (how !== "changed") {
      // An import that did not resolve may resolve now, or one that did may not: as when a project file comes or goes.
      if (isSourceFile(key) && !this.hasFile(key)) this.membershipChanged = this.resolverStale = true;
      return;
    }
    if (this.records.get(key)?.auxiliary) {
      this.deleteRecord(key);
      for (const dependent of this.dependents.get(key) ?? []) this.toResolve.add(dependent);
    }
  }

  hasFile(file: string): boolean {
    const record = this.records.get(path.resolve(this.rootDir, file));
    return record !== undefined && !record.auxiliary;
  }

  files(): string[] {
    return [...this.sortedRecords().own];
  }

  /** Every record's file, and the project's own, sorted; kept until a record comes, goes or is replaced (an edit sorts nothing). */
  private sortedRecords(): { all: readonly string[]; own: readonly string[] } {
    if (this.recordOrder === undefined) {
      const all = [...this.records.keys()].sort();
      this.recordOrder = { all, own: all.filter((file) => !this.records.get(file)!.auxiliary) };
    }
    return this.recordOrder;
  }

  private setRecord(file: string, record: ProjectFile): void {
    this.records.set(file, record);
    this.recordOrder = undefined;
  }

  private deleteRecord(file: string): void {
    this.records.delete(file);
    this.recordOrder = undefined;
  }

  summaryOf(file: string): FileSummary | undefined {
    const record = this.records.get(file) ?? this.readAuxiliary(file);
    if (record?.deferred) {
      record.deferred = false;
      record.summary = this.summarize(file, record.text);
    }
    return record?.summary;
  }

  /** A file the project was not given, read from the host (its summary made when asked for) and resolved in turn; undefined when there is none. */
  private readAuxiliary(file: string): ProjectFile | undefined {
    if (this.missing.has(file)) return undefined;
    const text = this.probed?.has(file) ? this.probed.get(file) : this.readSource(file);
    if (text === undefined) {
      this.missing.add(file);
      return undefined;
    }
    const record: ProjectFile = { text, auxiliary: true, summary: undefined, deferred: true, facts: undefined, deps: new Set() };
    this.setRecord(file, record);
    this.toResolve.add(file);
    return record;
  }

  private readSource(file: string): string | undefined {
    return isSourceFile(file) ? this.host.readFile(file) : undefined;
  }

  analyze(): AnalysisSnapshot {
    if (this.snapshot && this.toSummarize.size === 0 && this.toResolve.size === 0 && !this.membershipChanged) return { ...this.snapshot, changedFiles: [] };
    if (this.membershipChanged) {
      // A file came or went: any import may now resolve elsewhere. Auxiliary files are read again when needed.
      // (Not at the first analysis: the resolver has read the file system as it is, with these files.)
      if (this.snapshot !== undefined || this.resolverStale) {
        this.modules.clear();
        this.modulesCleared = true;
      }
      this.resolverStale = false;
      this.missing.clear();
      for (const [file, record] of this.records) if (record.auxiliary) this.deleteRecord(file);
      for (const file of this.records.keys()) this.toResolve.add(file);
      // Read as auxiliary files: their names count, they report nothing.
      for (const file of this.contextFiles) if (!this.records.has(file)) this.readAuxiliary(file);
    }
    // Stored facts are used at the first analysis only, and only while the resolver holds what it
    // was seeded with (they were resolved with it): later analyses are incremental anyway.
    const seeding = this.factsCache !== undefined && this.snapshot === undefined && !this.modulesCleared;
    if (seeding) this.probed = new Map();
    for (const file of this.toSummarize) {
      const record = this.records.get(file)!;
      if (seeding && record.summary === undefined) {
        // Its facts may come from the facts cache: summarised only if something asks.
        record.deferred = true;
        this.toResolve.add(file);
        continue;
      }
      const before = record.deferred ? undefined : record.summary?.surfaceKey;
      record.deferred = false;
      record.summary = this.summarize(file, record.text);
      this.toResolve.add(file);
      if (before !== record.summary.surfaceKey) for (const dependent of this.dependents.get(file) ?? []) this.toResolve.add(dependent);
    }
    this.toSummarize.clear();
    // Resolving may read auxiliary files, which are then resolved in turn.
    while (this.toResolve.size > 0) {
      const [file] = this.toResolve;
      this.toResolve.delete(file!);
      if (this.records.has(file!) && !(seeding && this.reuseFacts(file!))) this.resolve(file!, seeding);
    }
    this.probed = undefined;
    this.membershipChanged = false;
    return this.join();
  }

  getFindings(): ReadonlyMap<string, readonly Finding[]>;
  getFindings(file: string): readonly Finding[];
  getFindings(file?: string): ReadonlyMap<string, readonly Finding[]> | readonly Finding[] {
    const { findings } = this.analyze();
    return file === undefined ? findings : (findings.get(path.resolve(this.rootDir, file)) ?? []);
  }

  getGraph(): DependencyGraph {
    return this.analyze().graph();
  }

  getGraphJson(): GraphJson {
    return toGraphJson(this.analyze().model, this.rootDir);
  }

  stats(): AnalysisStats {
    const { summarized, fromCache, resolved, factsFromCache } = this.counters;
    return { summarized, fromCache, resolved, factsFromCache, failures: new Map(this.counters.failures) };
  }

  workspaceProblems(): readonly WorkspaceProblem[] {
    return this.modules.layout().problems;
  }

  workspacePackages(): readonly WorkspacePackage[] {
    return [...this.modules.layout().packages.values()];
  }

  setContextFiles(files: readonly string[]): void {
    this.contextFiles = files.map((f) => path.resolve(this.rootDir, f));
    this.membershipChanged = true;
  }

  private summarize(file: string, text: string): FileSummary {
    this.summarized.add(file);
    const cached = this.cache?.get(file, text);
    if (cached) {
      this.counters.fromCache++;
      this.counters.failures.delete(file);
      return cached;
    }
    this.counters.summarized++;
    try {
      const summary = parser().summarizeFile(file, text);
      this.counters.failures.delete(file);
      this.cache?.put(file, text, summary);
      return summary;
    } catch (error) {
      this.counters.failures.set(file, describeError(error));
      return emptySummary(file);
    }
  }

  /** @param keep whether to give the facts to the facts cache (the first analysis: later texts may be an editor's) */
  private resolve(file: string, keep = false): void {
    const record = this.records.get(file)!;
    this.counters.resolved++;
    const resolver = new SymbolResolver(this, this.modules);
    // Every file read counts as a dependency, also when read past the symbol resolver.
    const summaryOf = (f: string) => {
      resolver.deps.add(f);
      return this.summaryOf(f);
    };
    try {
      const summary = this.summaryOf(file) ?? emptySummary(file);
      const evaluator = new StaticEvaluator(resolver, summaryOf);
      record.facts = resolveFileFacts(summary, evaluator, new CallClassifier(resolver, evaluator, summaryOf), summaryOf);
    } catch (error) {
      this.counters.failures.set(file, describeError(error));
      record.facts = undefined;
    }
    resolver.deps.delete(file);
    this.setDeps(file, record, resolver.deps);
    if (keep && record.facts && !this.counters.failures.has(file)) {
      const deps = [...record.deps].map((dep): [string, string | null, string] => [dep, this.currentDigest(dep), surfaceDigest(this.summaryOf(dep))]);
      const resolutions = [...new Map(resolver.resolutions.map((r) => [`${r[1]}\0${r[0]}`, r])).values()];
      this.factsCache!.keep(file, { text: this.digestOf(record), deps, resolutions, facts: record.facts }, true);
    }
  }

  /**
   * Takes the stored facts of `file` when its text and every file they were resolved from read as
   * they did then (one missing then is missing now; a project file edited since offers other files
   * what it did, as an edit's dependents are left alone when its surface key stays), and its
   * imports resolve where they did; true when taken.
   */
  private reuseFacts(file: string): boolean {
    const record = this.records.get(file)!;
    const stored = this.factsCache!.lookup(file);
    if (!stored || stored.text !== this.digestOf(record)) return false;
    for (const [specifier, fromFile, target] of stored.resolutions) if (!sameTarget(this.modules.known(specifier, fromFile), target)) return false;
    const deps: StoredFacts["deps"] = [];
    for (const [dep, digest, surface] of stored.deps) {
      const now = this.currentDigest(dep);
      if (now === digest) deps.push([dep, digest, surface]);
      else if (now !== null && this.records.get(dep)?.auxiliary === false && surfaceDigest(this.summaryOf(dep)) === surface) deps.push([dep, now, surface]);
      else return false;
    }
    // As resolving it would: the files it read become auxiliary records (resolved in turn), or missing.
    for (const [dep] of stored.deps) if (!this.records.has(dep)) this.readAuxiliary(dep);
    record.facts = stored.facts;
    indexEdges(record.facts);
    this.setDeps(file, record, new Set(stored.deps.map(([dep]) => dep)));
    this.factsCache!.keep(file, { ...stored, deps }, false);
    this.counters.factsFromCache++;
    return true;
  }

  /** The digest of a file's text as the project sees it now (a project file's, or the host's), null when there is none; reads without adding a record. */
  private currentDigest(file: string): string | null {
    const record = this.records.get(file);
    if (record) return this.digestOf(record);
    if (this.missing.has(file)) return null;
    let text: string | undefined;
    if (this.probed?.has(file)) text = this.probed.get(file);
    else {
      text = this.readSource(file);
      this.probed?.set(file, text);
    }
    return text === undefined ? null : textDigest(text);
  }

  private digestOf(record: ProjectFile): string {
    return (record.digest ??= textDigest(record.text));
  }

  private setDeps(file: string, record: ProjectFile, deps: Set<string>): void {
    for (const dep of record.deps) this.dependents.get(dep)?.delete(file);
    record.deps = deps;
    for (const dep of record.deps) {
      let set = this.dependents.get(dep);
      if (!set) this.dependents.set(dep, (set = new Set()));
      set.add(file);
    }
  }

  /** A workspace check that fails (a bug in it) costs its findings, never the whole analysis. */
  private guarded<T>(name: string, check: () => T[]): T[] {
    try {
      this.counters.failures.delete(`(workspace ${name})`);
      return check();
    } catch (error) {
      this.counters.failures.set(`(workspace ${name})`, describeError(error));
      return [];
    }
  }

  private join(): AnalysisSnapshot {
    const { all, own: files } = this.sortedRecords();
    const facts = all.flatMap((f) => this.records.get(f)!.facts ?? []);
    const { model, touched } = this.joinModel(facts);
    const cycles = this.guarded("cycles", () => checkCycles(model, this.describePlace, (f) => this.hasFile(f), this.edgeEndpoints));
    const previous = this.snapshot?.findings;
    const again = this.filesToCollect(touched, cycles);
    let findings: Map<string, Finding[]>;
    if (again === "all" || previous === undefined || this.removed.size > 0 || previous.size !== files.length) {
      findings = collectFindings(files, [...this.joiner.allDrafts(), ...cycles], (f) => this.summaryOf(f)?.suppressions ?? []);
    } else {
      // Only the files whose drafts, cycles or suppressions may have changed are collected again.
      findings = new Map(previous as ReadonlyMap<string, Finding[]>);
      for (const file of again) {
        if (!findings.has(file)) continue;
        const drafts = [...this.joiner.draftsFor(file), ...cycles.filter((c) => c.file === file)];
        findings.set(file, collectFindings([file], drafts, (f) => this.summaryOf(f)?.suppressions ?? []).get(file)!);
      }
    }
    const changed = new Set<string>();
    for (const file of again === "all" ? findings.keys() : again) {
      const list = findings.get(file);
      if (list === undefined) continue;
      const before = previous?.get(file);
      if (before === undefined ? list.length > 0 : JSON.stringify(before) !== JSON.stringify(list)) changed.add(file);
    }
    for (const file of this.removed) if (previous?.get(file)?.length) changed.add(file);
    this.removed.clear();
    this.snapshot = createSnapshot(++this.version, this.rootDir, model, findings, [...changed].sort());
    return this.snapshot;
  }

  /** The model and reference checks, patched for what changed; a check that fails (a bug in it) costs the references' findings, never the analysis. */
  private joinModel(facts: readonly FileFacts[]): JoinResult {
    try {
      this.counters.failures.delete("(workspace references)");
      return this.joiner.join(facts);
    } catch (error) {
      this.counters.failures.set("(workspace references)", describeError(error));
      this.joiner.reset();
      return { model: buildWorkspaceModel(facts), touched: "all" };
    }
  }

  /**
   * Files whose findings must be collected again: those the join touched, those whose cycle
   * findings changed, and those re-summarised whose suppression comments changed (with every file
   * holding a cycle finding, which a comment at any of its hops silences).
   */
  private filesToCollect(touched: ReadonlySet<string> | "all", cycles: readonly DraftFinding[]): ReadonlySet<string> | "all" {
    const cyclesByFile = new Map<string, string>();
    for (const draft of cycles) cyclesByFile.set(draft.file, `${cyclesByFile.get(draft.file) ?? ""}${JSON.stringify(draft)}\n`);
    const suppressionsChanged = [...this.summarized].some((file) => {
      const key = JSON.stringify(this.records.get(file)?.summary?.suppressions ?? []);
      const changed = this.suppressionKeys.get(file) !== key;
      this.suppressionKeys.set(file, key);
      return changed;
    });
    const again = touched === "all" ? "all" : new Set([...touched, ...this.summarized]);
    this.summarized.clear();
    if (again !== "all") {
      for (const file of new Set([...cyclesByFile.keys(), ...this.cyclesByFile.keys()])) {
        if (suppressionsChanged || cyclesByFile.get(file) !== this.cyclesByFile.get(file)) again.add(file);
      }
    }
    this.cyclesByFile = cyclesByFile;
    return again;
  }
}

function surfaceDigest(summary: FileSummary | undefined): string {
  return summary === undefined ? "" : textDigest(summary.surfaceKey);
}

function sameTarget(a: ModuleTarget | undefined, b: ModuleTarget): boolean {
  return a?.kind === b.kind && (a.kind !== "file" || a.file === (b as typeof a).file) && (a.kind !== "external" || a.specifier === (b as typeof a).specifier);
}

function emptySummary(file: string): FileSummary {
  return { file, importsTributary: false, imports: new Map(), exports: new Map(), reexports: [], declarations: new Map(), calls: [], containers: [], suppressions: [], surfaceKey: "" };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
