import { compareFindings, type DraftFinding, type Finding } from "./finding.js";
import type { Suppression } from "./file-summary.js";
import type { FileLoc } from "./source-location.js";

/**
 * Groups findings by file (every given file gets an entry), drops those a
 * `tributary-ignore-next-line` comment silences, removes duplicates and sorts.
 */
export function collectFindings(files: readonly string[], drafts: readonly DraftFinding[], suppressionsOf: (file: string) => readonly Suppression[]): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>(files.map((f) => [f, []]));
  const seen = new Set<string>();
  for (const draft of drafts) {
    const list = byFile.get(draft.file);
    if (!list) continue;
    const places: FileLoc[] = [{ file: draft.file, loc: { start: 0, end: 0, range: draft.range } }, ...(draft.alsoSuppressedAt ?? [])];
    if (places.some((p) => isSuppressed(suppressionsOf(p.file), p.loc.range.start.line, draft.code))) continue;
    const { alsoSuppressedAt: _places, ...finding } = draft;
    const key = `${finding.file}\0${finding.range.start.line}:${finding.range.start.character}\0${finding.code}\0${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(finding);
  }
  for (const list of byFile.values()) list.sort(compareFindings);
  return byFile;
}

function isSuppressed(suppressions: readonly Suppression[], line: number, code: string): boolean {
  return suppressions.some((s) => s.line === line && (s.codes.length === 0 || s.codes.includes(code)));
}
