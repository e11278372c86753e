/**
 * The checks of the check service: the same as `tributary check` in a process (same discovery,
 * config, caches read, findings, printing), but each workspace's analysis is kept in memory
 * between requests. A request walks the workspace again (texts that did not change on disk come
 * from memory, `file-text-memo.ts`) and asks again every question the analysis asked of the file
 * system; then:
 * - nothing changed: the last result is printed again;
 * - only flow files changed, came or went: they are given to the kept project, which re-analyses
 *   what they can change (as the language server does on an edit, or a new or deleted file);
 * - anything else (a file an import reached, a package.json or tsconfig, the project config, the
 *   other packages' flow files): the workspace is analysed again from the caches on disk, as the
 *   CLI would.
 */
import path from "node:path";
import { ConfigRules, discoverFlowFiles, findContextFiles, InputDigest, nodeFileHost, RecordingFileHost, ResolutionCache, type AnalysisProject, type CheckResult } from "../analysis/index.js";
import { answersHold } from "../analysis/recording-file-host.js";
import { analyzeWithCaches, checkScope, notesOf } from "./cached-analysis.js";
import { badCheckFormat, printCheckResult, usage, type CheckOutput } from "./check-output.js";
import type { CliTargets } from "./cli-targets.js";
import { FileTextMemo } from "./file-text-memo.js";

/** A check as the service is asked it. */
export interface ResidentCheckOptions extends CheckOutput {
  paths: readonly string[];
  format: string;
  /** @default `.tributary/cache` of the workspace, as for the CLI */
  cacheDir?: string;
}

/** How the last request was answered (for tests and `--verbose`-like notes). */
export type ResidentAnswer = "unchanged" | "updated" | "analysed";

/** One workspace (root, paths, tsconfig, config, cache folder) as last analysed. */
interface ResidentWorkspace {
  project: AnalysisProject;
  resolutions: ResolutionCache;
  fileHost: RecordingFileHost;
  files: readonly string[];
  readonly contextFiles: readonly string[];
  digest: string;
  result: CheckResult;
}

/** Workspaces kept at once (one working folder, a path set or two). At 500 files the service is ~170 MB with one (the parser loaded), ~210 MB with two. */
const MAX_WORKSPACES = 2;

export class ResidentChecks {
  private readonly workspaces = new Map<string, ResidentWorkspace>();
  private readonly memo = new FileTextMemo();
  /** How the last check was answered. */
  lastAnswer: ResidentAnswer | undefined;

  /** Prints the check's result into `options`' streams; resolves to the exit code, as `runCheck`. */
  async run(options: ResidentCheckOptions): Promise<number> {
    const badFormat = badCheckFormat(options.format);
    if (badFormat) return usage(options, badFormat);
    let checked: CheckResult | number;
    try {
      checked = await this.check(options);
    } catch (error) {
      // A kept project a failure left half-updated is not used again: the next check analyses anew.
      this.workspaces.clear();
      throw error;
    }
    if (typeof checked === "number") return checked;
    return printCheckResult(checked, options.format, options);
  }

  private async check(options: ResidentCheckOptions): Promise<CheckResult | number> {
    const scope = await checkScope(options);
    if (typeof scope === "number") return scope;
    const { targets, config, rules, cacheDir, accepts } = scope;
    const key = JSON.stringify([targets.rootDir, targets.tsconfig, targets.paths, cacheDir, config.kind === "found" ? [config.file, config.config] : "no config"]);
    const kept = this.workspaces.get(key);
    if (kept) {
      // The most recently used last: the first is the one let go when too many are kept.
      this.workspaces.delete(key);
      this.workspaces.set(key, kept);
      const found = await this.discover(targets, accepts, kept.resolutions);
      const holds = answersHold([...kept.fileHost.recorded(), ...kept.resolutions.answers()], nodeFileHost);
      if (holds && found.digest === kept.digest) {
        this.lastAnswer = "unchanged";
        return kept.result;
      }
      if (holds && sameFiles(found.contextFiles, kept.contextFiles)) {
        // As the language server takes edits, new files and deleted ones: a file that came or went
        // makes the project resolve every import again, in memory.
        const now = new Set(found.files);
        for (const file of kept.files) if (!now.has(file)) kept.project.removeFile(file);
        for (const file of found.files) kept.project.setFileText(file, this.memo.textOf(file));
        const snapshot = kept.project.analyze();
        kept.files = found.files;
        kept.digest = found.digest;
        kept.result = { findings: rules.apply([...snapshot.findings.values()].flat()), fileCount: kept.project.files().length, notes: notesOf(kept.project) };
        this.lastAnswer = "updated";
        return kept.result;
      }
      this.workspaces.delete(key);
    }
    const workspace = await this.analyse(targets, accepts, rules, cacheDir);
    this.workspaces.set(key, workspace);
    while (this.workspaces.size > MAX_WORKSPACES) this.workspaces.delete(this.workspaces.keys().next().value!);
    this.lastAnswer = "analysed";
    return workspace.result;
  }

  /** The flow files and context files under the targets, and the digest of every text read to find them. */
  private async discover(targets: CliTargets, accepts: (file: string, root: string) => boolean, resolutions: ResolutionCache): Promise<{ files: string[]; contextFiles: string[]; digest: string }> {
    const inputs = new InputDigest();
    const options = { tsconfig: targets.tsconfig, accepts, moduleResolver: resolutions.resolver, inputs, readText: this.memo.read };
    const { files } = await discoverFlowFiles(targets.paths, { ...options, rootDir: targets.rootDir });
    const contextFiles = await findContextFiles(targets.rootDir, [...resolutions.resolver.layout().packages.values()], options);
    return { files, contextFiles, digest: inputs.digest() };
  }

  /** A workspace analysed anew, with the caches on disk read (not written: that is the CLI's part). */
  private async analyse(targets: CliTargets, accepts: (file: string, root: string) => boolean, rules: ConfigRules, cacheDir: string): Promise<ResidentWorkspace> {
    const resolutions = new ResolutionCache(path.join(cacheDir, "resolutions"), targets.rootDir, targets.tsconfig);
    const { files, contextFiles, digest } = await this.discover(targets, accepts, resolutions);
    const fileHost = new RecordingFileHost(nodeFileHost);
    const { project, snapshot } = await analyzeWithCaches({ targets, accepts, cacheDir, resolutions, files, contextFiles, fileHost });
    // The texts the project holds are those loadWorkspace read: one that changed since discovery shows at the next request.
    const result: CheckResult = { findings: rules.apply([...snapshot.findings.values()].flat()), fileCount: project.files().length, notes: notesOf(project) };
    return { project, resolutions, fileHost, files, contextFiles, digest, result };
  }
}

function sameFiles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((file, i) => file === b[i]);
}
