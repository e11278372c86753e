import path from "node:path";
import type { ModuleResolver } from "./module-resolver.js";
import { parser } from "./load-parser.js";
import { TRIBUTARY_MODULE } from "./tributary-module.js";
import { packageNameOf } from "./workspace-packages.js";

/** Cheap first test of a re-export: `export * …`, `export { … }`. */
const EXPORT_HINT = /\bexport\s*(?:\*|\{|type\s*\{)/;
/** Module specifiers of static imports, re-exports, `require` and `import()`. */
const SPECIFIERS = /(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*["']([^"'\n]+)["']/g;
const EXTENSION = /\.(?:[cm]?[jt]sx?)$/;

/**
 * The user's own modules that re-export "tributaryjs" (`lib/tributary.ts` with
 * `export { flow, task } from "tributaryjs"`, `export * from "tributaryjs"`, `export * as t from
 * "tributaryjs"`, or `import * as t from "tributaryjs"; export { t }`), and re-exports of those.
 * A file importing one is flow code although it never names "tributaryjs": the cheap text filter
 * asks {@link importedBy} too. Files are tested by text first; only a file with an `export {`/
 * `export *` is parsed, and only a specifier whose last segment names a facade is resolved.
 */
export class TributaryFacades {
  private readonly files = new Set<string>();
  /** Last path segments an import of a facade ends with: "tributary" for lib/tributary.ts, "lib" for lib/index.ts. */
  private stems = new Map<string, number>();

  constructor(private readonly modules: () => ModuleResolver) {}

  get size(): number {
    return this.files.size;
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  /** Records whether `file` re-exports "tributaryjs" (or a facade); true when that changed. */
  update(file: string, text: string): boolean {
    const is = EXPORT_HINT.test(text) && this.reexportsTributary(file, text);
    if (is === this.files.has(file)) return false;
    if (is) this.files.add(file);
    else this.files.delete(file);
    for (const stem of stemsOf(file)) this.stems.set(stem, (this.stems.get(stem) ?? 0) + (is ? 1 : -1));
    return true;
  }

  delete(file: string): boolean {
    return this.files.has(file) && this.update(file, "");
  }

  /** Whether `text` (the text of `file`) imports or re-exports a facade. */
  importedBy(file: string, text: string): boolean {
    if (this.files.size === 0) return false;
    for (const match of text.matchAll(SPECIFIERS)) {
      if (this.isFacadeSpecifier(match[1]!, file)) return true;
    }
    return false;
  }

  private isFacadeSpecifier(specifier: string, fromFile: string): boolean {
    const stem = specifier.slice(specifier.lastIndexOf("/") + 1).replace(EXTENSION, "");
    // A package of the workspace (`@acme/kit`) is named by its package.json, not by its files: resolve it.
    const name = packageNameOf(specifier);
    if (!this.stems.get(stem) && (name === undefined || !this.modules().layout().packages.has(name))) return false;
    const target = this.modules().resolve(specifier, fromFile);
    return target.kind === "file" && this.files.has(target.file);
  }

  private reexportsTributary(file: string, text: string): boolean {
    return parser()
      .reexportedSpecifiers(file, text)
      .some((specifier) => specifier === TRIBUTARY_MODULE || this.isFacadeSpecifier(specifier, file));
  }
}

function stemsOf(file: string): string[] {
  const name = path.basename(file).replace(EXTENSION, "");
  return name === "index" ? [name, path.basename(path.dirname(file))] : [name];
}
