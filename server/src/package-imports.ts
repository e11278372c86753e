/**
 * TRB160: a flow file imports "tributaryjs" but nothing resolves it from the file's folder (no
 * `node_modules/tributaryjs` there or above, as Node looks). The language server decides this, not
 * the analysis: it is about the project's installation, not about the flow code, and the analysis
 * may be the workspace's own copy, which cannot be relied on to know the code.
 */
import path from "node:path";
import { DiagnosticSeverity, type Diagnostic, type Range } from "vscode-languageserver";
import { findPackage, PACKAGE_NAME } from "./workspace-package/find-package.js";
import { planInstall } from "./workspace-package/package-manager.js";
import type { InstallPackageArguments } from "./protocol.js";

export const UNRESOLVED_PACKAGE = "TRB160";

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])tributaryjs\1/;

/** The range of the first `"tributaryjs"` specifier (quotes included) of an import, export-from or require. */
export function importSiteOf(text: string): Range | undefined {
  const match = IMPORT.exec(text);
  if (!match) return undefined;
  const start = match.index + match[0].length - PACKAGE_NAME.length - 2;
  return { start: positionAt(text, start), end: positionAt(text, start + PACKAGE_NAME.length + 2) };
}

/** LSP's position of an offset: a line ends at CRLF, LF or a lone CR. */
function positionAt(text: string, offset: number): Range["start"] {
  const lines = text.slice(0, offset).split(/\r\n|\n|\r/);
  return { line: lines.length - 1, character: lines.at(-1)!.length };
}

/** What TRB160 says for files of `dir`, a folder that resolves no tributaryjs. */
export function unresolvedPackageMessage(dir: string): string {
  const plan = planInstall(dir);
  return `"${PACKAGE_NAME}" is not installed for this file: there is no node_modules/${PACKAGE_NAME} in ${dir} or a folder above it. Install it (\`${plan.command}\` in ${plan.cwd}) so that this file type-checks and runs with your project's own version.`;
}

/**
 * The import sites of the flow files the server knows, whether each folder resolves the package
 * (cached until a package.json or a lockfile changes), and what was last sent per file, so that a
 * file is re-published when its TRB160 comes or goes even though its findings did not change.
 */
export class PackageImports {
  private readonly sites = new Map<string, Range>();
  /** Per folder: undefined when it resolves the package, else TRB160's message. */
  private readonly messages = new Map<string, string | undefined>();
  private readonly sent = new Map<string, string>();

  record(file: string, text: string | undefined): void {
    const site = text === undefined ? undefined : importSiteOf(text);
    if (site) this.sites.set(file, site);
    else this.sites.delete(file);
  }

  /** An install or uninstall may have happened: resolve again. */
  packagesChanged(): void {
    this.messages.clear();
  }

  diagnosticFor(file: string): Diagnostic | undefined {
    const site = this.sites.get(file);
    if (!site) return undefined;
    const dir = path.dirname(file);
    if (!this.messages.has(dir)) this.messages.set(dir, findPackage(dir).kind === "missing" ? unresolvedPackageMessage(dir) : undefined);
    const message = this.messages.get(dir);
    if (message === undefined) return undefined;
    return { range: site, severity: DiagnosticSeverity.Warning, code: UNRESOLVED_PACKAGE, source: "tributary", message, data: { file } satisfies InstallPackageArguments };
  }

  /** Remembers what the last publication of `file` said. */
  markSent(file: string, diagnostic: Diagnostic | undefined): void {
    if (diagnostic) this.sent.set(file, JSON.stringify(diagnostic));
    else this.sent.delete(file);
  }

  /** Files whose TRB160 differs from what was last sent. */
  stale(): string[] {
    const files = new Set([...this.sites.keys(), ...this.sent.keys()]);
    return [...files].filter((file) => {
      const now = this.diagnosticFor(file);
      return (now === undefined ? undefined : JSON.stringify(now)) !== this.sent.get(file);
    });
  }
}
