import type { ts } from "ts-morph";
import type { Suppression } from "./file-summary.js";

const SUPPRESSION = /\/\/\s*tributary-ignore-next-line\b([^\r\n]*)/g;

/**
 * `// tributary-ignore-next-line TRB101, TRB100 -- reason` silences those codes on the next line.
 * Without codes it silences every finding there. The text after `--` is the reason, for people.
 */
export function readSuppressions(text: string, sf: ts.SourceFile): Suppression[] {
  if (!text.includes("tributary-ignore-next-line")) return [];
  const suppressions: Suppression[] = [];
  for (const match of text.matchAll(SUPPRESSION)) {
    const rest = match[1]!.split("--")[0]!;
    const codes = rest.match(/TRB\d{3}/g) ?? [];
    const line = sf.getLineAndCharacterOfPosition(match.index).line + 1;
    suppressions.push({ line, codes: [...codes] });
  }
  return suppressions;
}
