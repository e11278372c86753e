import type { Declaration, FileSummary } from "./file-summary.js";
import type { ModuleResolver, ModuleTarget } from "./module-resolver.js";

/** What a name refers to once imports, re-exports and aliases are followed. */
export type Binding =
  | { kind: "decl"; file: string; decl: Declaration }
  | { kind: "tributary"; name: string }
  | { kind: "tributary-namespace" }
  | { kind: "namespace"; file: string }
  | { kind: "unknown" };

export interface SummarySource {
  /** The summary of a file, reading it from disk when it is not a project file yet; undefined if none. */
  summaryOf(file: string): FileSummary | undefined;
}

const UNKNOWN: Binding = { kind: "unknown" };
const MAX_HOPS = 64;

/**
 * Follows names across files over summaries only. Every file it looks into is added to `deps`, so
 * that the project knows which files to look at again when that file changes.
 */
export class SymbolResolver {
  readonly deps = new Set<string>();
  /** Every import it resolved and where to: what the facts cache checks besides the files read. */
  readonly resolutions: [specifier: string, fromFile: string, target: ModuleTarget][] = [];

  constructor(
    private readonly source: SummarySource,
    private readonly modules: ModuleResolver,
  ) {}

  /** A callee or reference path: `root.props[0].props[1]…`; `rest` is what is left to read on the binding. */
  resolvePath(file: string, root: string, props: readonly string[], hops = 0): { binding: Binding; rest: string[] } {
    let binding = this.resolveLocal(file, root, hops);
    let i = 0;
    while (hops++ < MAX_HOPS) {
      if (binding.kind === "namespace" && i < props.length) binding = this.resolveExport(binding.file, props[i++]!, new Set());
      else if (binding.kind === "tributary-namespace" && i < props.length) binding = { kind: "tributary", name: props[i++]! };
      else if (binding.kind === "decl" && binding.decl.kind === "const" && binding.decl.init.kind === "ref") {
        const init = binding.decl.init;
        const inner = this.resolvePath(binding.file, init.root, init.props, hops);
        return { binding: inner.binding, rest: [...inner.rest, ...props.slice(i)] };
      } else break;
    }
    return { binding, rest: props.slice(i) };
  }

  resolveLocal(file: string, name: string, hops = 0): Binding {
    const summary = this.summary(file);
    if (!summary || hops > MAX_HOPS) return UNKNOWN;
    const decl = summary.declarations.get(name);
    if (decl) return { kind: "decl", file, decl };
    const imported = summary.imports.get(name);
    if (!imported) return UNKNOWN;
    const target = this.resolveModule(imported.specifier, file);
    if (target.kind === "tributary") return imported.imported === "*" ? { kind: "tributary-namespace" } : { kind: "tributary", name: imported.imported };
    if (target.kind !== "file") return UNKNOWN;
    if (imported.imported === "*") return this.summary(target.file) ? { kind: "namespace", file: target.file } : UNKNOWN;
    return this.resolveExport(target.file, imported.imported, new Set());
  }

  resolveExport(file: string, exported: string, visited: Set<string>): Binding {
    const key = `${file}\0${exported}`;
    if (visited.has(key) || visited.size > MAX_HOPS) return UNKNOWN;
    visited.add(key);
    const summary = this.summary(file);
    if (!summary) return UNKNOWN;
    const local = summary.exports.get(exported);
    if (local !== undefined) return this.resolveLocal(file, local, visited.size);
    for (const r of summary.reexports) {
      if (r.kind === "star" || r.exported !== exported) continue;
      const target = this.resolveModule(r.specifier, file);
      if (target.kind === "tributary") return r.kind === "namespace" ? { kind: "tributary-namespace" } : { kind: "tributary", name: r.imported };
      if (target.kind !== "file") return UNKNOWN;
      return r.kind === "namespace" ? { kind: "namespace", file: target.file } : this.resolveExport(target.file, r.imported, visited);
    }
    if (exported === "default") return UNKNOWN;
    for (const r of summary.reexports) {
      if (r.kind !== "star") continue;
      const target = this.resolveModule(r.specifier, file);
      if (target.kind === "tributary") return { kind: "tributary", name: exported };
      if (target.kind !== "file") continue;
      const found = this.resolveExport(target.file, exported, visited);
      if (found.kind !== "unknown") return found;
    }
    return UNKNOWN;
  }

  private resolveModule(specifier: string, fromFile: string): ModuleTarget {
    const target = this.modules.resolve(specifier, fromFile);
    this.resolutions.push([specifier, fromFile, target]);
    return target;
  }

  private summary(file: string): FileSummary | undefined {
    this.deps.add(file);
    return this.source.summaryOf(file);
  }
}
