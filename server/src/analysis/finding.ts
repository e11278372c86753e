import type { FileLoc, Range } from "./source-location.js";

export type Severity = "error" | "warning" | "information" | "hint";

export interface RelatedInformation {
  file: string;
  range: Range;
  message: string;
}

/**
 * One problem found in flow code. `file` is absolute; `range` is 0-based (LSP convention) — use
 * `toCheckJson` for the 1-based shape `tributary check --format json` prints.
 */
export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  /** Stable code, "TRB100" … "TRB150". */
  code: string;
  message: string;
  related: RelatedInformation[];
  /** Names a quick fix may offer instead of the unknown one (TRB110, TRB111), best first. */
  suggestions?: string[];
}

/** A finding while it is built: other places where a suppression comment also silences it. */
export interface DraftFinding extends Finding {
  alsoSuppressedAt?: FileLoc[];
}

export function findingAt(at: FileLoc, severity: Severity, code: string, message: string, related: RelatedInformation[] = []): DraftFinding {
  return { file: at.file, range: at.loc.range, severity, code, message, related };
}

export function relatedAt(at: FileLoc, message: string): RelatedInformation {
  return { file: at.file, range: at.loc.range, message };
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const sa = a.range.start;
  const sb = b.range.start;
  if (sa.line !== sb.line) return sa.line - sb.line;
  if (sa.character !== sb.character) return sa.character - sb.character;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
