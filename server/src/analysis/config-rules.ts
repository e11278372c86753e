import path from "node:path";
import picomatch from "picomatch";
import { pathInside, type PathApi } from "../../../runtime/src/file-paths.js";
import type { Finding, Severity } from "./finding.js";
import type { ConfigSeverity, TributaryConfig } from "./project-config.js";

const SEVERITY: Record<Exclude<ConfigSeverity, "off">, Severity> = { error: "error", warning: "warning", info: "information", hint: "hint" };

/**
 * A project's config applied: which files are checked, and the severity of each finding. Globs
 * are matched with picomatch against the path relative to the config's folder, with `/`.
 *
 * @example
 * const rules = new ConfigRules("/repo", { exclude: ["test-fixtures/**"], severity: { TRB150: "off" } });
 * rules.accepts("/repo/test-fixtures/a.ts", "/repo"); // false
 * rules.apply(findings);                               // TRB150 dropped
 */
export class ConfigRules {
  /** No config: everything is checked, severities are the defaults. */
  static readonly none = new ConfigRules(undefined, {});

  private readonly included: ((p: string) => boolean) | undefined;
  private readonly excluded: ((p: string) => boolean) | undefined;
  private readonly severity: ReadonlyMap<string, ConfigSeverity>;

  constructor(
    /** The config's folder; undefined for {@link ConfigRules.none}. */
    readonly dir: string | undefined,
    config: TributaryConfig,
    /** How paths are read: `node:path`, or `path.win32` in tests. */
    private readonly paths: PathApi = path,
  ) {
    const options = { dot: true };
    this.included = config.include?.length ? picomatch(config.include, options) : undefined;
    this.excluded = config.exclude?.length ? picomatch(config.exclude, options) : undefined;
    this.severity = new Map(Object.entries(config.severity ?? {}).flatMap(([code, level]) => (level ? [[code, level]] : [])));
  }

  /** True when globs or severities change anything. */
  get isEmpty(): boolean {
    return !this.included && !this.excluded && this.severity.size === 0;
  }

  /**
   * Whether a file found by walking `root` (a folder named on the command line, or the editor's
   * workspace folder) is checked. A root that `exclude` itself matches was asked for by name, so
   * everything under it is checked (as Ruff treats a path given explicitly); files outside the
   * config's folder are not the config's to judge.
   */
  accepts(file: string, root: string): boolean {
    if (this.dir === undefined || (!this.included && !this.excluded)) return true;
    const relative = this.relative(file);
    if (relative === undefined) return true;
    const rootRelative = this.relative(root);
    if (this.excluded && rootRelative !== undefined && rootRelative !== "" && this.excluded(rootRelative)) return true;
    if (this.included && !this.included(relative)) return false;
    return !this.excluded?.(relative);
  }

  /** The findings with the configured severities; a code set to `off` is dropped. */
  apply(findings: readonly Finding[]): Finding[] {
    if (this.severity.size === 0) return [...findings];
    return findings.flatMap((finding) => {
      const level = this.severity.get(finding.code);
      if (level === undefined) return [finding];
      return level === "off" ? [] : [{ ...finding, severity: SEVERITY[level] }];
    });
  }

  private relative(file: string): string | undefined {
    return pathInside(this.dir!, file, this.paths);
  }
}
