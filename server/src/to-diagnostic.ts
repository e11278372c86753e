import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from "vscode-languageserver";
import type { Finding } from "./analysis/index.js";
import { pathToUri } from "./file-uris.js";

/** What a diagnostic carries for the quick fixes of its code action. */
export interface DiagnosticData {
  suggestions?: string[];
}

const SEVERITY: Record<Finding["severity"], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A finding as an LSP diagnostic: one related location per hop, TRB150 faded as unused. */
export function toDiagnostic(finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: "tributary",
    message: finding.message,
  };
  if (finding.related.length > 0) diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: pathToUri(r.file), range: r.range }, message: r.message }));
  if (finding.code === "TRB150") diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (finding.suggestions?.length) diagnostic.data = { suggestions: finding.suggestions } satisfies DiagnosticData;
  return diagnostic;
}
