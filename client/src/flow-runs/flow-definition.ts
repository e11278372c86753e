/**
 * Where a flow is defined, by a plain text search: the `flow(` call of its export
 * (`export const etl = flow("etl", …)`), else a `flow("<name>"` call. Pure; reveal-flow.ts opens
 * the file.
 */

/** `flows/etl.ts:etl` → file and export (the last colon splits them). */
export function splitEntrypoint(entrypoint: string): { file: string; exportName: string | undefined } {
  const colon = entrypoint.lastIndexOf(":");
  if (colon <= 0 || /[\\/]/.test(entrypoint.slice(colon + 1))) return { file: entrypoint, exportName: undefined };
  return { file: entrypoint.slice(0, colon), exportName: entrypoint.slice(colon + 1) || undefined };
}

/** The 0-based line and column of the flow's definition in `text`, or undefined. */
export function findDefinition(text: string, exportName: string | undefined, flowName: string): { line: number; character: number } | undefined {
  const patterns: RegExp[] = [];
  if (exportName !== undefined && exportName !== "default") {
    patterns.push(new RegExp(`\\b(?:const|let|var)\\s+${escapeRegExp(exportName)}\\b[^=]*=\\s*flow\\s*[(<]`));
  }
  patterns.push(new RegExp(`\\bflow\\s*(?:<[^>]*>)?\\(\\s*(["'\`])${escapeRegExp(flowName)}\\1`));
  if (exportName === "default") patterns.push(/\bexport\s+default\s+flow\s*[(<]/);
  const lines = text.split("\n");
  for (const pattern of patterns) {
    for (let line = 0; line < lines.length; line++) {
      const match = pattern.exec(lines[line]!);
      if (match) return { line, character: match.index };
    }
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
